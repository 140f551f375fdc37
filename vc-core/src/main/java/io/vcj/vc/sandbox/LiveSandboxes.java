package io.vcj.vc.sandbox;

import io.vcj.vc.ExitStatus;
import io.vcj.vc.State;
import io.vcj.vc.VcException;
import io.vcj.vc.agent.Agent;
import io.vcj.vc.config.SandboxConfig;
import io.vcj.vc.hypervisor.Hypervisor;
import io.vcj.vc.store.ContainerRecord;
import io.vcj.vc.store.SandboxRecord;
import io.vcj.vc.store.SandboxStore;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The sandboxes this process drives: the ones it created, and the ones created elsewhere that it
 * re-attached to on first use. Watches each VM so its death ends the sandbox's processes.
 */
final class LiveSandboxes implements AutoCloseable {
    private static final Logger LOG = LogManager.getLogger(LiveSandboxes.class);
    // The guest of a re-attached sandbox is already up: no need to wait for a boot.
    private static final Duration REATTACH_DIAL = Duration.ofSeconds(5);

    private final ConcurrentHashMap<String, LiveSandbox> live = new ConcurrentHashMap<>();
    private final ExecutorService vmWatchers = Executors.newVirtualThreadPerTaskExecutor();
    private final Plugins plugins;
    private final SandboxStore store;
    private final ExitRecorder recorder;

    LiveSandboxes(Plugins plugins, SandboxStore store, ExitRecorder recorder) {
        this.plugins = plugins;
        this.store = store;
        this.recorder = recorder;
    }

    /** Registers a sandbox this process just brought up, with its connected agent. */
    LiveSandbox register(SandboxConfig config, Instant createdAt, Hypervisor hypervisor, Agent agent) {
        var sandbox = new LiveSandbox(config.id(), createdAt, hypervisor, agent, connector(config, hypervisor));
        live.put(config.id(), sandbox);
        watchVm(sandbox);
        return sandbox;
    }

    /** This process's handle on a recorded sandbox, re-attaching if it was created elsewhere. */
    LiveSandbox get(SandboxRecord record) {
        return live.compute(record.id(), (id, known) -> {
            if (known != null && known.isOf(record)) {
                return known;
            }
            if (known != null) {
                known.closeAgent();
            }
            var sandbox = reattach(record);
            watchVm(sandbox);
            return sandbox;
        });
    }

    void forget(String id) {
        Optional.ofNullable(live.remove(id)).ifPresent(LiveSandbox::closeAgent);
    }

    private LiveSandbox reattach(SandboxRecord record) {
        SandboxConfig config = record.config();
        Hypervisor hypervisor = plugins.hypervisor(config.hypervisorType())
                .reattach(record.id(), config.effectiveHypervisorConfig(), store.dir(record.id()), record.vmPids())
                .orElseGet(() -> new DetachedHypervisor(record.id(), record.vmPids(), record.agentChannel()));
        LOG.info("re-attached sandbox {} ({})", record.id(), hypervisor.getClass().getSimpleName());
        return new LiveSandbox(record.id(), record.createdAt(), hypervisor, null, connector(config, hypervisor));
    }

    private Supplier<Agent> connector(SandboxConfig config, Hypervisor hypervisor) {
        return () -> {
            if (hypervisor.exited().isDone()) {
                throw new VcException.FailedPrecondition("the VM of sandbox '" + config.id() + "' is gone");
            }
            Agent agent = plugins.agent(config.agentType()).create(config.agentConfig());
            try {
                agent.connect(hypervisor.agentChannel(), REATTACH_DIAL);
                return agent;
            } catch (RuntimeException e) {
                agent.close();
                throw e;
            }
        };
    }

    private void watchVm(LiveSandbox sandbox) {
        sandbox.hypervisor().exited().whenCompleteAsync((status, error) -> onVmGone(sandbox), vmWatchers);
    }

    // Processes in a dead VM will never report: they surface as exited, so no waiter hangs.
    private void onVmGone(LiveSandbox sandbox) {
        LOG.info("the VM of sandbox {} is gone", sandbox.id());
        try {
            Optional<SandboxRecord> record = recorder.recordVmGone(sandbox.id(), sandbox.createdAt(), ExitStatus.vmDied());
            sandbox.watches().settleAll(key -> record
                    .flatMap(r -> r.container(key.containerId()))
                    .flatMap(c -> recordedOrEmpty(c, key))
                    .orElseGet(ExitStatus::vmDied));
        } catch (RuntimeException e) {
            LOG.warn("recording the end of sandbox {} failed", sandbox.id(), e);
            sandbox.watches().settleAll(key -> ExitStatus.vmDied());
        }
        sandbox.closeAgent();
    }

    private static Optional<ExitStatus> recordedOrEmpty(ContainerRecord container, ProcessKey key) {
        try {
            return ExitRecorder.recorded(container, key);
        } catch (VcException.NotFound e) {
            return Optional.empty();
        }
    }

    /**
     * The sandbox's current record, for a caller holding its lock. A VM known to be gone is recorded
     * as such first, even before its watcher got to it, or when no process watched it (e.g. the shim
     * that drove it crashed): nobody reads a dead sandbox as running.
     */
    SandboxRecord current(String sandboxId) {
        SandboxRecord record = store.load(sandboxId);
        if (record.state() == State.STOPPED || vmMayRun(record)) {
            return record;
        }
        return recorder.recordVmGone(record.id(), record.createdAt(), ExitStatus.vmDied()).orElse(record);
    }

    private boolean vmMayRun(SandboxRecord record) {
        LiveSandbox known = live.get(record.id());
        if (known != null && known.isOf(record)) {
            return known.vmAlive();
        }
        return record.vmPids().isEmpty() || DetachedHypervisor.anyAlive(record.vmPids());
    }

    /** Drops agent connections; VMs keep running, for another process to pick up. */
    @Override
    public void close() {
        live.values().forEach(LiveSandbox::closeAgent);
        live.clear();
        vmWatchers.shutdown();
    }
}
