package io.vcj.shim.task;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vcj.vc.ContainerStats;
import io.vcj.vc.ExitStatus;
import io.vcj.vc.agent.Agent;
import io.vcj.vc.agent.AgentException;
import io.vcj.vc.agent.CreateContainerRequest;
import io.vcj.vc.agent.CreateSandboxRequest;
import io.vcj.vc.agent.NetInterface;
import io.vcj.vc.agent.Neighbor;
import io.vcj.vc.agent.Route;
import io.vcj.vc.config.ContainerResources;
import io.vcj.vc.config.OciProcess;
import io.vcj.vc.hypervisor.AgentChannel;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;

/** An {@link Agent} driving the {@link FakeGuest} of the VM it connects to; records resource updates. */
final class FakeAgent implements Agent {
    private final Map<AgentChannel, FakeGuest> guests;
    private final List<ContainerResources> updates;
    private volatile FakeGuest guest;

    FakeAgent(Map<AgentChannel, FakeGuest> guests, List<ContainerResources> updates) {
        this.guests = guests;
        this.updates = updates;
    }

    private FakeGuest guest() {
        FakeGuest connected = guest;
        if (connected == null) {
            throw new AgentException("not connected");
        }
        return connected;
    }

    @Override
    public void connect(AgentChannel channel, Duration deadline) {
        guest = guests.get(channel);
        if (guest == null) {
            throw new AgentException("nothing listens on " + channel);
        }
    }

    @Override
    public void check() {
        guest();
    }

    @Override
    public void createSandbox(CreateSandboxRequest request) {
    }

    @Override
    public void destroySandbox() {
    }

    @Override
    public void createContainer(CreateContainerRequest request) {
        guest().add(request.containerId(), "", OciProcess.toCmd(request.ociSpec().get("process"), false).args());
    }

    @Override
    public void startContainer(String containerId) {
        guest().process(containerId, "").start();
    }

    @Override
    public void removeContainer(String containerId, Duration timeout) {
        guest().processes.keySet().removeIf(key -> key.startsWith(containerId + "/"));
    }

    @Override
    public void exec(String containerId, String execId, ObjectNode ociProcess, boolean stdin) {
        guest().add(containerId, execId, OciProcess.toCmd(ociProcess, stdin).args());
        guest().process(containerId, execId).start();
    }

    @Override
    public void signalProcess(String containerId, String execId, int signal, boolean all) {
        if (all) {
            guest().processes.forEach((key, process) -> {
                if (key.startsWith(containerId + "/")) {
                    process.signal(signal);
                }
            });
        } else {
            guest().process(containerId, execId).signal(signal);
        }
    }

    @Override
    public ExitStatus waitProcess(String containerId, String execId) {
        try {
            return guest().process(containerId, execId).exit.join();
        } catch (CompletionException e) {
            throw (RuntimeException) e.getCause();
        }
    }

    @Override
    public int writeStdin(String containerId, String execId, byte[] data) {
        return guest().process(containerId, execId).write(data);
    }

    @Override
    public void closeStdin(String containerId, String execId) {
        guest().process(containerId, execId).closeStdin();
    }

    @Override
    public byte[] readStdout(String containerId, String execId, int maxBytes) {
        return guest().process(containerId, execId).readStdout();
    }

    @Override
    public byte[] readStderr(String containerId, String execId, int maxBytes) {
        return guest().process(containerId, execId).readStderr();
    }

    @Override
    public void ttyWinResize(String containerId, String execId, int rows, int columns) {
        guest().process(containerId, execId).terminalSize = rows + "x" + columns;
    }

    @Override
    public void pauseContainer(String containerId) {
        guest().paused.put(containerId, true);
    }

    @Override
    public void resumeContainer(String containerId) {
        guest().paused.put(containerId, false);
    }

    @Override
    public void updateContainer(String containerId, ContainerResources resources) {
        updates.add(resources);
    }

    @Override
    public ContainerStats statsContainer(String containerId) {
        return new ContainerStats(1000, 400, 600, 4096, 8192, 3);
    }

    @Override
    public List<Integer> listProcesses(String containerId) {
        return List.of(1);
    }

    @Override
    public void updateInterface(NetInterface netInterface) {
    }

    @Override
    public void updateRoutes(List<Route> routes) {
    }

    @Override
    public void addArpNeighbors(List<Neighbor> neighbors) {
    }

    @Override
    public void close() {
        guest = null;
    }
}
