package io.vcj.vc.sandbox;

import io.vcj.vc.ContainerStats;
import io.vcj.vc.State;
import io.vcj.vc.VcException;
import io.vcj.vc.agent.CreateContainerRequest;
import io.vcj.vc.config.ContainerConfig;
import io.vcj.vc.config.ContainerResources;
import io.vcj.vc.store.ContainerRecord;
import io.vcj.vc.store.SandboxLock;
import io.vcj.vc.store.SandboxRecord;
import io.vcj.vc.store.SandboxStore;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;

/** Container lifecycle: create, start, pause, resume, stop, delete, and what is asked of running ones. Internal. */
public final class ContainerLifecycle {
    private static final Logger LOG = LogManager.getLogger(ContainerLifecycle.class);
    private static final Duration REMOVE_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
    private static final int SIGKILL = 9;

    private final SandboxStore store;
    private final LiveSandboxes live;
    private final ConfigValidator validator;
    private final ContainerSetup setup;
    private final Processes processes;

    ContainerLifecycle(SandboxStore store, LiveSandboxes live, ConfigValidator validator, ContainerSetup setup,
                       Processes processes) {
        this.store = store;
        this.live = live;
        this.validator = validator;
        this.setup = setup;
        this.processes = processes;
    }

    public SandboxRecord create(String sandboxId, ContainerConfig config) {
        validator.validate(config);
        try (SandboxLock lock = store.lock(sandboxId); var rollback = new Rollback()) {
            SandboxRecord record = live.current(sandboxId);
            SandboxAction.CREATE_CONTAINER.check(sandboxId, record.state());
            record = createIn(live.get(record), record, config, rollback);
            store.write(record);
            rollback.commit();
            return record;
        }
    }

    /** Creates a container in a sandbox held locked; registers undo steps with {@code rollback}. */
    SandboxRecord createIn(LiveSandbox sandbox, SandboxRecord record, ContainerConfig config, Rollback rollback) {
        String id = config.id();
        if (record.container(id).isPresent()) {
            throw new VcException.AlreadyExists("container '" + id + "' already exists in sandbox '" + record.id() + "'");
        }
        var prepared = setup.prepare(config, record.config().hostname(), store.dir(record.id()), sandbox.hypervisor(),
                rollback);
        sandbox.agent().createContainer(new CreateContainerRequest(id, id, prepared.guestSpec(), prepared.guestRootfs(),
                prepared.storages(), prepared.devices(), config.cmd().interactive()));
        rollback.onFailure("remove container " + id + " from the guest",
                () -> sandbox.agent().removeContainer(id, REMOVE_TIMEOUT));
        LOG.info("container {} created in sandbox {}", id, record.id());
        return record.withContainer(new ContainerRecord(id, config, State.READY, prepared.guestRootfs(),
                prepared.hotplugged(), null, null, List.of()));
    }

    public SandboxRecord start(String sandboxId, String containerId) {
        try (SandboxLock lock = store.lock(sandboxId)) {
            SandboxRecord record = live.current(sandboxId);
            SandboxAction.START_CONTAINER.check(sandboxId, record.state());
            ContainerRecord container = find(record, containerId);
            ContainerAction.START.check(containerId, container.state());
            return startIn(live.get(record), record, container);
        }
    }

    /** Starts a created container's init process in a sandbox held locked, and watches it. */
    SandboxRecord startIn(LiveSandbox sandbox, SandboxRecord record, ContainerRecord container) {
        sandbox.agent().startContainer(container.id());
        SandboxRecord started = record.withContainer(container.started(Instant.now()));
        store.write(started);
        processes.watch(sandbox, ProcessKey.init(container.id()));
        LOG.info("container {} started in sandbox {}", container.id(), record.id());
        return started;
    }

    /** Kills every process of the container and waits for its init process to be reaped. */
    public SandboxRecord stop(String sandboxId, String containerId) {
        LiveSandbox sandbox;
        try (SandboxLock lock = store.lock(sandboxId)) {
            SandboxRecord record = live.current(sandboxId);
            SandboxAction.REACH_GUEST.check(sandboxId, record.state());
            ContainerRecord container = find(record, containerId);
            ContainerAction.STOP.check(containerId, container.state());
            sandbox = live.get(record);
            processes.watch(sandbox, ProcessKey.init(containerId));
            if (container.state() == State.PAUSED) {
                // Frozen processes cannot act on a signal until thawed.
                sandbox.agent().resumeContainer(containerId);
            }
            sandbox.agent().signalProcess(containerId, ProcessKey.init(containerId).agentExecId(), SIGKILL, true);
        }
        awaitExit(sandbox, containerId);
        return live.current(sandboxId);
    }

    private static void awaitExit(LiveSandbox sandbox, String containerId) {
        try {
            sandbox.watches().exit(ProcessKey.init(containerId)).get(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new VcException.Unavailable("container '" + containerId + "' did not exit within "
                    + STOP_TIMEOUT.toSeconds() + "s of SIGKILL", e);
        } catch (ExecutionException | CompletionException e) {
            throw Processes.unwrap(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VcException.Unavailable("interrupted stopping container '" + containerId + "'", e);
        }
    }

    /** Removes a created or stopped container from the guest and the host. */
    public void delete(String sandboxId, String containerId) {
        try (SandboxLock lock = store.lock(sandboxId)) {
            SandboxRecord record = live.current(sandboxId);
            SandboxAction.DELETE_CONTAINER.check(sandboxId, record.state());
            ContainerRecord container = find(record, containerId);
            ContainerAction.DELETE.check(containerId, container.state());
            LiveSandbox sandbox = live.get(record);
            boolean vmUp = record.state() != State.STOPPED && sandbox.vmAlive();
            if (vmUp) {
                removeFromGuest(sandbox, containerId);
            }
            setup.release(containerId, store.dir(sandboxId), container.hotplugged(), vmUp ? sandbox.hypervisor() : null);
            store.write(record.withoutContainer(containerId));
            sandbox.watches().forget(containerId,
                    new VcException.NotFound("container '" + containerId + "' was deleted"));
            LOG.info("container {} deleted from sandbox {}", containerId, sandboxId);
        }
    }

    private static void removeFromGuest(LiveSandbox sandbox, String containerId) {
        try {
            sandbox.agent().removeContainer(containerId, REMOVE_TIMEOUT);
        } catch (VcException.NotFound alreadyGone) {
            LOG.debug("container {} was already gone from the guest", containerId);
        }
    }

    public SandboxRecord pause(String sandboxId, String containerId) {
        return move(sandboxId, containerId, ContainerAction.PAUSE, State.PAUSED,
                (sandbox, id) -> sandbox.agent().pauseContainer(id));
    }

    public SandboxRecord resume(String sandboxId, String containerId) {
        return move(sandboxId, containerId, ContainerAction.RESUME, State.RUNNING,
                (sandbox, id) -> sandbox.agent().resumeContainer(id));
    }

    private SandboxRecord move(String sandboxId, String containerId, ContainerAction action, State target,
                               BiConsumer<LiveSandbox, String> inGuest) {
        try (SandboxLock lock = store.lock(sandboxId)) {
            SandboxRecord record = live.current(sandboxId);
            SandboxAction.REACH_GUEST.check(sandboxId, record.state());
            ContainerRecord container = find(record, containerId);
            action.check(containerId, container.state());
            inGuest.accept(live.get(record), containerId);
            record = record.withContainer(container.withState(target));
            store.write(record);
            return record;
        }
    }

    public void update(String sandboxId, String containerId, ContainerResources resources) {
        inGuest(sandboxId, containerId, ContainerAction.UPDATE).agent().updateContainer(containerId, resources);
    }

    public ContainerStats stats(String sandboxId, String containerId) {
        return inGuest(sandboxId, containerId, ContainerAction.INSPECT).agent().statsContainer(containerId);
    }

    public List<Integer> processes(String sandboxId, String containerId) {
        return inGuest(sandboxId, containerId, ContainerAction.INSPECT).agent().listProcesses(containerId);
    }

    /** The live sandbox of a container on which {@code action} is legal now. */
    private LiveSandbox inGuest(String sandboxId, String containerId, ContainerAction action) {
        try (SandboxLock lock = store.lock(sandboxId)) {
            SandboxRecord record = live.current(sandboxId);
            SandboxAction.REACH_GUEST.check(sandboxId, record.state());
            action.check(containerId, find(record, containerId).state());
            return live.get(record);
        }
    }

    static ContainerRecord find(SandboxRecord record, String containerId) {
        return record.container(containerId).orElseThrow(() -> new VcException.NotFound(
                "container '" + containerId + "' not found in sandbox '" + record.id() + "'"));
    }
}
