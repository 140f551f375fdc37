package io.vcj.vc.sandbox;

import io.vcj.vc.agent.Agent;
import io.vcj.vc.hypervisor.Hypervisor;
import io.vcj.vc.store.SandboxRecord;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.time.Instant;
import java.util.function.Supplier;

/**
 * What this process holds for a sandbox beyond its persisted state: the hypervisor driving its VM, the
 * agent connection (made on first use when the sandbox was created by another process), and the
 * waits on its processes.
 */
final class LiveSandbox {
    private static final Logger LOG = LogManager.getLogger(LiveSandbox.class);

    private final String id;
    private final Instant createdAt;
    private final Hypervisor hypervisor;
    private final Supplier<Agent> connect;
    private final ProcessWatches watches = new ProcessWatches();
    private Agent agent;

    /**
     * @param agent   the connected agent, or null to connect on first use
     * @param connect makes a connected agent, when there is none or the previous connection was closed
     */
    LiveSandbox(String id, Instant createdAt, Hypervisor hypervisor, Agent agent, Supplier<Agent> connect) {
        this.id = id;
        this.createdAt = createdAt;
        this.hypervisor = hypervisor;
        this.agent = agent;
        this.connect = connect;
    }

    String id() {
        return id;
    }

    Instant createdAt() {
        return createdAt;
    }

    /** Whether this is the sandbox recorded, not an earlier one with the same id deleted elsewhere. */
    boolean isOf(SandboxRecord record) {
        return id.equals(record.id()) && createdAt.equals(record.createdAt());
    }

    Hypervisor hypervisor() {
        return hypervisor;
    }

    ProcessWatches watches() {
        return watches;
    }

    boolean vmAlive() {
        return !hypervisor.exited().isDone();
    }

    synchronized Agent agent() {
        if (agent == null) {
            agent = connect.get();
        }
        return agent;
    }

    synchronized void closeAgent() {
        if (agent != null) {
            try {
                agent.close();
            } catch (RuntimeException e) {
                LOG.debug("closing the agent of sandbox {} failed: {}", id, e.toString());
            }
            agent = null;
        }
    }
}
