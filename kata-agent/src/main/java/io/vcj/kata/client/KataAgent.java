package io.vcj.kata.client;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import io.vcj.kata.proto.AgentServiceTtrpcClient;
import io.vcj.kata.proto.CheckRequest;
import io.vcj.kata.proto.CloseStdinRequest;
import io.vcj.kata.proto.DestroySandboxRequest;
import io.vcj.kata.proto.GetOOMEventRequest;
import io.vcj.kata.proto.HealthCheckResponse.ServingStatus;
import io.vcj.kata.proto.PauseContainerRequest;
import io.vcj.kata.proto.ReadStreamRequest;
import io.vcj.kata.proto.ReseedRandomDevRequest;
import io.vcj.kata.proto.ResumeContainerRequest;
import io.vcj.kata.proto.SetGuestDateTimeRequest;
import io.vcj.kata.proto.StartContainerRequest;
import io.vcj.kata.proto.StatsContainerRequest;
import io.vcj.kata.proto.TtyWinResizeRequest;
import io.vcj.kata.proto.WaitProcessRequest;
import io.vcj.kata.proto.WriteStreamRequest;
import io.vcj.kata.proto.vcj.ListProcessesRequest;
import io.vcj.ttrpc.CallOptions;
import io.vcj.ttrpc.TtrpcException;
import io.vcj.vc.ContainerStats;
import io.vcj.vc.ExitStatus;
import io.vcj.vc.VcException;
import io.vcj.vc.agent.Agent;
import io.vcj.vc.agent.AgentException;
import io.vcj.vc.agent.CreateContainerRequest;
import io.vcj.vc.agent.CreateSandboxRequest;
import io.vcj.vc.agent.NetInterface;
import io.vcj.vc.agent.Neighbor;
import io.vcj.vc.agent.Route;
import io.vcj.vc.config.ContainerResources;
import io.vcj.vc.hypervisor.AgentChannel;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * vc-core's {@link Agent} over the kata agent protocol ({@code grpc.AgentService} and
 * {@code grpc.Health} on ttrpc). Thread-safe: calls share one connection, multiplexed by ttrpc.
 *
 * <p>Calls that answer at once get {@link #CALL_TIMEOUT}, so a guest that stopped answering
 * surfaces as a failure instead of a hang; the calls that block until something happens in the
 * guest (wait, stdout/stderr reads) have none.
 */
public final class KataAgent implements Agent {
    /** Generous: under TCG emulation on a loaded host, starting a container with runc takes seconds. */
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration CHECK_TIMEOUT = Duration.ofSeconds(10);
    /** Added to a removal's own timeout, for the round trip. */
    private static final Duration REMOVE_MARGIN = Duration.ofSeconds(10);

    private volatile AgentConnection connection;

    @Override
    public void connect(AgentChannel channel, Duration deadline) {
        AgentConnection opened = AgentConnection.open(channel, deadline);
        AgentConnection previous = connection;
        connection = opened;
        if (previous != null) {
            previous.close();
        }
    }

    @Override
    public void check() {
        ServingStatus status;
        try {
            status = connection().health(options(CHECK_TIMEOUT)).check(CheckRequest.getDefaultInstance()).getStatus();
        } catch (TtrpcException e) {
            throw AgentErrors.translate("Check", e);
        }
        if (status != ServingStatus.SERVING) {
            throw new AgentException("agent health check answered " + status);
        }
    }

    @Override
    public void createSandbox(CreateSandboxRequest request) {
        call("CreateSandbox", CALL_TIMEOUT, agent -> agent.createSandbox(KataRequests.createSandbox(request)));
    }

    @Override
    public void setGuestDateTime(Instant now) {
        call("SetGuestDateTime", CALL_TIMEOUT, agent -> agent.setGuestDateTime(SetGuestDateTimeRequest.newBuilder()
                .setSec(now.getEpochSecond()).setUsec(now.getNano() / 1000).build()));
    }

    @Override
    public void reseedRandomDev(byte[] data) {
        call("ReseedRandomDev", CALL_TIMEOUT, agent -> agent.reseedRandomDev(ReseedRandomDevRequest.newBuilder()
                .setData(ByteString.copyFrom(data)).build()));
    }

    @Override
    public void destroySandbox() {
        call("DestroySandbox", CALL_TIMEOUT, agent -> agent.destroySandbox(DestroySandboxRequest.getDefaultInstance()));
    }

    @Override
    public void createContainer(CreateContainerRequest request) {
        call("CreateContainer", CALL_TIMEOUT, agent -> agent.createContainer(KataRequests.createContainer(request)));
    }

    @Override
    public void startContainer(String containerId) {
        call("StartContainer", CALL_TIMEOUT, agent -> agent.startContainer(
                StartContainerRequest.newBuilder().setContainerId(containerId).build()));
    }

    @Override
    public void removeContainer(String containerId, Duration timeout) {
        call("RemoveContainer", timeout.plus(REMOVE_MARGIN),
                agent -> agent.removeContainer(KataRequests.removeContainer(containerId, timeout)));
    }

    @Override
    public void exec(String containerId, String execId, ObjectNode ociProcess, boolean stdin) {
        // The kata agent always gives a process a stdin pipe; whether anyone writes to it is the caller's business.
        call("ExecProcess", CALL_TIMEOUT, agent -> agent.execProcess(KataRequests.exec(containerId, execId, ociProcess)));
    }

    @Override
    public void signalProcess(String containerId, String execId, int signal, boolean all) {
        call("SignalProcess", CALL_TIMEOUT,
                agent -> agent.signalProcess(KataRequests.signal(containerId, execId, signal, all)));
    }

    @Override
    public ExitStatus waitProcess(String containerId, String execId) {
        return KataResponses.exitStatus(call("WaitProcess", null, agent -> agent.waitProcess(
                WaitProcessRequest.newBuilder().setContainerId(containerId).setExecId(execId).build())));
    }

    @Override
    public int writeStdin(String containerId, String execId, byte[] data) {
        return call("WriteStdin", CALL_TIMEOUT, agent -> agent.writeStdin(WriteStreamRequest.newBuilder()
                .setContainerId(containerId).setExecId(execId).setData(ByteString.copyFrom(data)).build())).getLen();
    }

    @Override
    public void closeStdin(String containerId, String execId) {
        call("CloseStdin", CALL_TIMEOUT, agent -> agent.closeStdin(
                CloseStdinRequest.newBuilder().setContainerId(containerId).setExecId(execId).build()));
    }

    @Override
    public byte[] readStdout(String containerId, String execId, int maxBytes) {
        return call("ReadStdout", null, agent -> agent.readStdout(read(containerId, execId, maxBytes)))
                .getData().toByteArray();
    }

    @Override
    public byte[] readStderr(String containerId, String execId, int maxBytes) {
        return call("ReadStderr", null, agent -> agent.readStderr(read(containerId, execId, maxBytes)))
                .getData().toByteArray();
    }

    private static ReadStreamRequest read(String containerId, String execId, int maxBytes) {
        return ReadStreamRequest.newBuilder().setContainerId(containerId).setExecId(execId).setLen(maxBytes).build();
    }

    @Override
    public void ttyWinResize(String containerId, String execId, int rows, int columns) {
        call("TtyWinResize", CALL_TIMEOUT, agent -> agent.ttyWinResize(TtyWinResizeRequest.newBuilder()
                .setContainerId(containerId).setExecId(execId).setRow(rows).setColumn(columns).build()));
    }

    @Override
    public void pauseContainer(String containerId) {
        call("PauseContainer", CALL_TIMEOUT, agent -> agent.pauseContainer(
                PauseContainerRequest.newBuilder().setContainerId(containerId).build()));
    }

    @Override
    public void resumeContainer(String containerId) {
        call("ResumeContainer", CALL_TIMEOUT, agent -> agent.resumeContainer(
                ResumeContainerRequest.newBuilder().setContainerId(containerId).build()));
    }

    @Override
    public void updateContainer(String containerId, ContainerResources resources) {
        call("UpdateContainer", CALL_TIMEOUT,
                agent -> agent.updateContainer(KataRequests.updateContainer(containerId, resources)));
    }

    @Override
    public ContainerStats statsContainer(String containerId) {
        return KataResponses.stats(call("StatsContainer", CALL_TIMEOUT, agent -> agent.statsContainer(
                StatsContainerRequest.newBuilder().setContainerId(containerId).build())).getCgroupStats());
    }

    /**
     * Kata 3 dropped ListProcesses from the agent API, so this asks vcj's own guest service; an
     * upstream kata agent answers it UNIMPLEMENTED, which surfaces as an {@link AgentException}.
     */
    @Override
    public List<Integer> listProcesses(String containerId) {
        ListProcessesRequest request = ListProcessesRequest.newBuilder().setContainerId(containerId).build();
        return translating("ListProcesses", () -> connection().processes(options(CALL_TIMEOUT))
                .listProcesses(request)).getPidsList().stream().map(Long::intValue).toList();
    }

    /** Waits as long as the connection lives: the guest answers only once the OOM killer has struck. */
    @Override
    public String awaitOomEvent() {
        return call("GetOOMEvent", null, agent -> agent.getOOMEvent(GetOOMEventRequest.getDefaultInstance()))
                .getContainerId();
    }

    @Override
    public void updateInterface(NetInterface netInterface) {
        call("UpdateInterface", CALL_TIMEOUT, agent -> agent.updateInterface(KataRequests.updateInterface(netInterface)));
    }

    @Override
    public void updateRoutes(List<Route> routes) {
        call("UpdateRoutes", CALL_TIMEOUT, agent -> agent.updateRoutes(KataRequests.updateRoutes(routes)));
    }

    @Override
    public void addArpNeighbors(List<Neighbor> neighbors) {
        call("AddARPNeighbors", CALL_TIMEOUT, agent -> agent.addARPNeighbors(KataRequests.addArpNeighbors(neighbors)));
    }

    @Override
    public void close() {
        AgentConnection open = connection;
        connection = null;
        if (open != null) {
            open.close();
        }
    }

    /**
     * Builds and sends one request. A request vc-core's values cannot express (e.g. a malformed OCI
     * spec) is refused here, before anything reaches the guest.
     */
    private <T> T call(String name, Duration timeout, Function<AgentServiceTtrpcClient, T> rpc) {
        AgentServiceTtrpcClient agent = connection().agent(options(timeout));
        return translating(name, () -> rpc.apply(agent));
    }

    /** A failed call as vc-core understands it (see {@link AgentErrors}), whichever guest service answered. */
    private static <T> T translating(String name, Supplier<T> rpc) {
        try {
            return rpc.get();
        } catch (TtrpcException e) {
            throw AgentErrors.translate(name, e);
        } catch (IllegalArgumentException e) {
            throw new VcException.InvalidArgument("agent " + name + ": " + e.getMessage());
        }
    }

    /** A null timeout lets the call wait as long as the connection lives. */
    private static CallOptions options(Duration timeout) {
        return CallOptions.DEFAULT.withTimeout(timeout);
    }

    private AgentConnection connection() {
        AgentConnection open = connection;
        if (open == null) {
            throw new AgentException("not connected to the agent");
        }
        return open;
    }
}
