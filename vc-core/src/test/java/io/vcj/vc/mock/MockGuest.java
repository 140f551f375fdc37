package io.vcj.vc.mock;

import io.vcj.vc.VcException;
import io.vcj.vc.agent.AgentException;
import io.vcj.vc.agent.CreateContainerRequest;
import io.vcj.vc.agent.CreateSandboxRequest;
import io.vcj.vc.config.ContainerResources;
import io.vcj.vc.hypervisor.AgentChannel;

import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The inside of a mock VM: what a real guest agent would hold. Registered under its agent channel
 * while the VM runs, so any MockAgent (in any VirtContainers instance) connecting there finds it.
 */
public final class MockGuest {
    private static final Map<AgentChannel, MockGuest> RUNNING = new ConcurrentHashMap<>();

    public final List<CreateSandboxRequest> sandboxes = new CopyOnWriteArrayList<>();
    public final Map<String, CreateContainerRequest> containers = new ConcurrentHashMap<>();
    public final Map<String, MockProcess> processes = new ConcurrentHashMap<>();
    public final List<String> calls = new CopyOnWriteArrayList<>();
    /** Containers by id: true while paused. */
    public final Map<String, Boolean> paused = new ConcurrentHashMap<>();
    public final List<ContainerResources> updates = new CopyOnWriteArrayList<>();
    private final BlockingQueue<String> oomKills = new LinkedBlockingQueue<>();
    private volatile boolean alive = true;

    static MockGuest boot(AgentChannel channel) {
        var guest = new MockGuest();
        RUNNING.put(channel, guest);
        return guest;
    }

    static MockGuest at(AgentChannel channel) {
        MockGuest guest = RUNNING.get(channel);
        if (guest == null || !guest.alive) {
            throw new AgentException("nothing listens on " + channel);
        }
        return guest;
    }

    /** The VM went away: every connection breaks, every wait fails. */
    void die(AgentChannel channel) {
        alive = false;
        RUNNING.remove(channel, this);
        processes.values().forEach(MockProcess::lose);
    }

    /** The guest's OOM killer strikes in a container. */
    public void oomKill(String containerId) {
        oomKills.add(containerId);
    }

    /** Blocks until {@link #oomKill}, failing like a broken connection once the VM is gone. */
    String nextOomKill() {
        try {
            while (true) {
                String containerId = oomKills.poll(50, TimeUnit.MILLISECONDS);
                if (containerId != null) {
                    return containerId;
                }
                requireAlive();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AgentException("interrupted");
        }
    }

    void requireAlive() {
        if (!alive) {
            throw new AgentException("connection reset: the VM is gone");
        }
    }

    public MockProcess process(String containerId, String execId) {
        MockProcess process = processes.get(containerId + "/" + execId);
        if (process == null) {
            throw new VcException.NotFound("no process " + containerId + "/" + execId + " in the guest");
        }
        return process;
    }
}
