package io.vcj.vc.sandbox;

import io.vcj.vc.ExitStatus;
import io.vcj.vc.Process;
import io.vcj.vc.ProcessIo;
import io.vcj.vc.State;
import io.vcj.vc.VcException;
import io.vcj.vc.config.Cmd;
import io.vcj.vc.config.Ids;
import io.vcj.vc.config.OciProcess;
import io.vcj.vc.store.ContainerRecord;
import io.vcj.vc.store.ExecRecord;
import io.vcj.vc.store.SandboxLock;
import io.vcj.vc.store.SandboxRecord;
import io.vcj.vc.store.SandboxStore;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** The processes of containers: entering new ones, signalling, waiting for, and their stdio. Internal. */
public final class Processes {
    // A guest wait that fails just as the VM dies is the VM's death, not a lost process.
    private static final Duration VM_EXIT_GRACE = Duration.ofSeconds(2);

    private final SandboxStore store;
    private final LiveSandboxes live;
    private final ExitRecorder recorder;

    Processes(SandboxStore store, LiveSandboxes live, ExitRecorder recorder) {
        this.store = store;
        this.live = live;
        this.recorder = recorder;
    }

    /** Starts one guest wait for the process (if none runs yet), whose result gets recorded. */
    void watch(LiveSandbox sandbox, ProcessKey key) {
        sandbox.watches().watch(key,
                () -> sandbox.agent().waitProcess(key.containerId(), key.agentExecId()),
                status -> recorder.recordExit(sandbox.id(), sandbox.createdAt(), key, status),
                failure -> afterLostWait(sandbox, key, failure));
    }

    private static ExitStatus afterLostWait(LiveSandbox sandbox, ProcessKey key, RuntimeException failure) {
        try {
            sandbox.hypervisor().exited().get(VM_EXIT_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            return ExitStatus.vmDied();
        } catch (TimeoutException | ExecutionException e) {
            throw new VcException.Unavailable("lost track of process " + key + ": " + failure.getMessage(), failure);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VcException.Unavailable("interrupted waiting for process " + key, e);
        }
    }

    /** Runs {@code cmd} in a running container as process {@code execId}. */
    public Process exec(String sandboxId, String containerId, String execId, Cmd cmd) {
        Ids.require("exec id", execId);
        try (SandboxLock lock = store.lock(sandboxId)) {
            SandboxRecord record = live.current(sandboxId);
            SandboxAction.REACH_GUEST.check(sandboxId, record.state());
            ContainerRecord container = ContainerLifecycle.find(record, containerId);
            ContainerAction.EXEC.check(containerId, container.state());
            if (execId.equals(containerId) || container.exec(execId).isPresent()) {
                throw new VcException.AlreadyExists("process '" + execId + "' already exists in container '"
                        + containerId + "'");
            }
            LiveSandbox sandbox = live.get(record);
            sandbox.agent().exec(containerId, execId, OciProcess.toJson(cmd), cmd.interactive());
            var exec = new ExecRecord(execId, cmd, Instant.now(), null);
            store.write(record.withContainer(container.withExec(exec)));
            watch(sandbox, new ProcessKey(containerId, execId));
            return new Process(execId, vmPid(record), exec.startTime());
        }
    }

    /** Signals a process that has not exited; {@code all} signals every process of the container. */
    public void signal(String sandboxId, String containerId, String execId, int signal, boolean all) {
        try (SandboxLock lock = store.lock(sandboxId)) {
            SandboxRecord record = live.current(sandboxId);
            SandboxAction.REACH_GUEST.check(sandboxId, record.state());
            ContainerRecord container = ContainerLifecycle.find(record, containerId);
            var key = ProcessKey.of(containerId, execId);
            if (container.state() == State.STOPPED || ExitRecorder.recorded(container, key).isPresent()) {
                throw new VcException.NotFound("process " + key + " has already exited");
            }
            live.get(record).agent().signalProcess(containerId, key.agentExecId(), signal, all);
        }
    }

    /** Blocks until the process has exited, and returns how. */
    public ExitStatus await(String sandboxId, String containerId, String execId) {
        var key = ProcessKey.of(containerId, execId);
        CompletableFuture<ExitStatus> exit;
        try (SandboxLock lock = store.lock(sandboxId)) {
            SandboxRecord record = live.current(sandboxId);
            ContainerRecord container = ContainerLifecycle.find(record, containerId);
            Optional<ExitStatus> recorded = ExitRecorder.recorded(container, key);
            if (recorded.isPresent()) {
                return recorded.get();
            }
            LiveSandbox sandbox = live.get(record);
            exit = sandbox.watches().exit(key);
            // A created container's init process is watched once it starts.
            if (!(key.isInit() && container.state() == State.READY)) {
                watch(sandbox, key);
            }
        }
        try {
            return exit.join();
        } catch (CompletionException e) {
            throw unwrap(e);
        }
    }

    /** The stdio of a process of the container. */
    public ProcessIo io(String sandboxId, String containerId, String execId) {
        try (SandboxLock lock = store.lock(sandboxId)) {
            SandboxRecord record = live.current(sandboxId);
            ContainerRecord container = ContainerLifecycle.find(record, containerId);
            var key = ProcessKey.of(containerId, execId);
            if (!key.isInit()) {
                ExitRecorder.exec(container, execId);
            }
            return new AgentProcessIo(live.get(record)::agent, key);
        }
    }

    /** Forgets an exited process entered into a container. */
    public void delete(String sandboxId, String containerId, String execId) {
        try (SandboxLock lock = store.lock(sandboxId)) {
            SandboxRecord record = live.current(sandboxId);
            ContainerRecord container = ContainerLifecycle.find(record, containerId);
            ExecRecord exec = ExitRecorder.exec(container, execId);
            if (exec.exitStatus() == null) {
                throw new VcException.FailedPrecondition("cannot delete process '" + execId + "' of container '"
                        + containerId + "': it is running");
            }
            store.write(record.withContainer(container.withoutExec(execId)));
            live.get(record).watches().forget(new ProcessKey(containerId, execId));
        }
    }

    static long vmPid(SandboxRecord record) {
        return record.vmPids().isEmpty() ? 0 : record.vmPids().getFirst();
    }

    static RuntimeException unwrap(Exception e) {
        Throwable cause = e.getCause() != null ? e.getCause() : e;
        return cause instanceof RuntimeException runtime ? runtime
                : new VcException.Unavailable(cause.getMessage(), cause);
    }
}
