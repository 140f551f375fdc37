package io.vcj.vc.mock;

import com.fasterxml.jackson.databind.node.ObjectNode;
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
import io.vcj.vc.config.OciProcess;
import io.vcj.vc.hypervisor.AgentChannel;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletionException;

/** An {@link Agent} driving the {@link MockGuest} of the VM it connects to. */
public final class MockAgent implements Agent {
    private final Faults faults;
    private volatile MockGuest guest;

    public MockAgent(Faults faults) {
        this.faults = faults;
    }

    @Override
    public void connect(AgentChannel channel, Duration deadline) {
        if (faults.fails("connect")) {
            throw new AgentException("agent did not answer on " + channel + " within " + deadline);
        }
        guest = MockGuest.at(channel);
    }

    private MockGuest guest(String call) {
        MockGuest connected = guest;
        if (connected == null) {
            throw new AgentException("not connected");
        }
        connected.requireAlive();
        if (faults.fails(call)) {
            throw new AgentException("agent failed " + call);
        }
        connected.calls.add(call);
        return connected;
    }

    @Override
    public void check() {
        guest("check");
    }

    @Override
    public void createSandbox(CreateSandboxRequest request) {
        guest("createSandbox").sandboxes.add(request);
    }

    @Override
    public void setGuestDateTime(Instant now) {
        guest("setGuestDateTime");
    }

    @Override
    public void reseedRandomDev(byte[] data) {
        guest("reseedRandomDev");
    }

    @Override
    public void destroySandbox() {
        guest("destroySandbox");
    }

    @Override
    public void createContainer(CreateContainerRequest request) {
        MockGuest g = guest("createContainer");
        if (g.containers.putIfAbsent(request.containerId(), request) != null) {
            throw new VcException.AlreadyExists("container " + request.containerId() + " exists in the guest");
        }
        var args = OciProcess.toCmd(request.ociSpec().get("process"), false).args();
        g.processes.put(request.containerId() + "/", new MockProcess(args));
    }

    @Override
    public void startContainer(String containerId) {
        guest("startContainer").process(containerId, "").start();
    }

    @Override
    public void removeContainer(String containerId, Duration timeout) {
        MockGuest g = guest("removeContainer");
        if (g.containers.remove(containerId) == null) {
            throw new VcException.NotFound("no container " + containerId + " in the guest");
        }
        g.processes.keySet().removeIf(key -> key.startsWith(containerId + "/"));
    }

    @Override
    public void exec(String containerId, String execId, ObjectNode ociProcess, boolean stdin) {
        MockGuest g = guest("exec");
        var process = new MockProcess(OciProcess.toCmd(ociProcess, stdin).args());
        g.processes.put(containerId + "/" + execId, process);
        process.start();
    }

    @Override
    public void signalProcess(String containerId, String execId, int signal, boolean all) {
        MockGuest g = guest("signalProcess");
        if (all) {
            g.processes.forEach((key, process) -> {
                if (key.startsWith(containerId + "/")) {
                    process.signal(signal);
                }
            });
        } else {
            g.process(containerId, execId).signal(signal);
        }
    }

    @Override
    public ExitStatus waitProcess(String containerId, String execId) {
        try {
            return guest("waitProcess").process(containerId, execId).exit.join();
        } catch (CompletionException e) {
            throw (RuntimeException) e.getCause();
        }
    }

    @Override
    public int writeStdin(String containerId, String execId, byte[] data) {
        return guest("writeStdin").process(containerId, execId).write(data);
    }

    @Override
    public void closeStdin(String containerId, String execId) {
        guest("closeStdin").process(containerId, execId).closeStdin();
    }

    @Override
    public byte[] readStdout(String containerId, String execId, int maxBytes) {
        return guest("readStdout").process(containerId, execId).readStdout();
    }

    @Override
    public byte[] readStderr(String containerId, String execId, int maxBytes) {
        return guest("readStderr").process(containerId, execId).readStderr();
    }

    @Override
    public void ttyWinResize(String containerId, String execId, int rows, int columns) {
        guest("ttyWinResize").process(containerId, execId).terminalSize = rows + "x" + columns;
    }

    @Override
    public void pauseContainer(String containerId) {
        guest("pauseContainer").paused.put(containerId, true);
    }

    @Override
    public void resumeContainer(String containerId) {
        guest("resumeContainer").paused.put(containerId, false);
    }

    @Override
    public void updateContainer(String containerId, ContainerResources resources) {
        guest("updateContainer").updates.add(resources);
    }

    @Override
    public ContainerStats statsContainer(String containerId) {
        guest("statsContainer");
        return new ContainerStats(1000, 600, 400, 4096, 8192, 3);
    }

    @Override
    public List<Integer> listProcesses(String containerId) {
        MockGuest g = guest("listProcesses");
        long count = g.processes.keySet().stream().filter(k -> k.startsWith(containerId + "/")).count();
        return java.util.stream.IntStream.rangeClosed(1, (int) count).boxed().toList();
    }

    @Override
    public String awaitOomEvent() {
        return guest("awaitOomEvent").nextOomKill();
    }

    @Override
    public void updateInterface(NetInterface netInterface) {
        guest("updateInterface");
    }

    @Override
    public void updateRoutes(List<Route> routes) {
        guest("updateRoutes");
    }

    @Override
    public void addArpNeighbors(List<Neighbor> neighbors) {
        guest("addArpNeighbors");
    }

    @Override
    public void close() {
        guest = null;
    }
}
