package io.vcj.vc.agent;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vcj.vc.ContainerStats;
import io.vcj.vc.ExitStatus;
import io.vcj.vc.config.ContainerResources;
import io.vcj.vc.hypervisor.AgentChannel;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Everything done inside the guest, modelled on the Kata agent protocol. One instance talks to one
 * sandbox's agent. Implementations live outside vc-core ({@code kata-agent}).
 *
 * <p>Calls may come from several threads at once: {@link #waitProcess} and the stdout/stderr reads
 * block until there is something to report while other calls proceed. Processes are named by
 * container id and exec id; as in the Kata protocol, a container's init process has the empty exec
 * id {@code ""} (only {@link CreateContainerRequest#execId()} carries the container id). Failures are
 * {@link AgentException}s, or {@link io.vcj.vc.VcException}s when the guest reports a precise reason
 * (e.g. an unknown container).
 */
public interface Agent extends AutoCloseable {

    /** Connects and checks the agent answers, retrying until {@code deadline} as the guest may still boot. */
    void connect(AgentChannel channel, Duration deadline);

    /** Fails unless the agent answers a health check. */
    void check();

    void createSandbox(CreateSandboxRequest request);

    /** Sets the guest's clock: a VM resumed from a template still has the time it was saved at. */
    void setGuestDateTime(Instant now);

    /** Mixes {@code data} into the guest's random pool, so VMs resumed from one template do not share it. */
    void reseedRandomDev(byte[] data);

    /** Tears down what {@link #createSandbox} set up, after all containers are removed. */
    void destroySandbox();

    void createContainer(CreateContainerRequest request);

    /** Starts the container's init process. */
    void startContainer(String containerId);

    /** Removes a container whose processes have exited, waiting at most {@code timeout}. */
    void removeContainer(String containerId, Duration timeout);

    /** Starts another process in a running container; {@code ociProcess} is an OCI {@code process} object. */
    void exec(String containerId, String execId, ObjectNode ociProcess, boolean stdin);

    /** Sends {@code signal} to the process, or to every process of the container when {@code all}. */
    void signalProcess(String containerId, String execId, int signal, boolean all);

    /** Blocks until the process exits. */
    ExitStatus waitProcess(String containerId, String execId);

    /** Writes to the process's stdin and returns how many bytes were taken. */
    int writeStdin(String containerId, String execId, byte[] data);

    void closeStdin(String containerId, String execId);

    /** Blocks until output is available; an empty array means end of stream. */
    byte[] readStdout(String containerId, String execId, int maxBytes);

    /** Blocks until output is available; an empty array means end of stream. */
    byte[] readStderr(String containerId, String execId, int maxBytes);

    void ttyWinResize(String containerId, String execId, int rows, int columns);

    void pauseContainer(String containerId);

    void resumeContainer(String containerId);

    void updateContainer(String containerId, ContainerResources resources);

    ContainerStats statsContainer(String containerId);

    /** Guest pids of the container's processes. */
    List<Integer> listProcesses(String containerId);

    /**
     * Blocks until the guest kernel's OOM killer has killed a process of some container of the
     * sandbox, and returns that container's id; fails when the connection to the guest is lost.
     */
    String awaitOomEvent();

    void updateInterface(NetInterface netInterface);

    void updateRoutes(List<Route> routes);

    void addArpNeighbors(List<Neighbor> neighbors);

    /** Drops the connection; the guest keeps running. */
    @Override
    void close();
}
