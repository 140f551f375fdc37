package io.vcj.shim.task;

import io.vcj.shim.io.ProcessStdio;
import io.vcj.vc.ExitStatus;
import io.vcj.vc.VcException;
import io.vcj.vc.config.Cmd;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * A process of a task, init or exec, and its one state machine: created, then running once started,
 * then stopped once it exited and all its output was written out. Transitions happen under the
 * owning task's lock; {@link #awaitExit} may be called from anywhere.
 */
final class TaskProcess {

    enum Phase { CREATED, RUNNING, STOPPED }

    private final String containerId;
    private final String execId;
    private final Cmd cmd;
    private final Stdio stdio;
    private final CompletableFuture<ExitStatus> exit = new CompletableFuture<>();
    private volatile Phase phase = Phase.CREATED;
    private volatile long pid;

    /** What containerd asked for this process's stdio, and its copies. */
    record Stdio(String stdin, String stdout, String stderr, boolean terminal, ProcessStdio copies) {
    }

    /**
     * @param execId ""  for the init process
     * @param cmd    what an exec runs; null for the init process (its command is in the container)
     */
    TaskProcess(String containerId, String execId, Cmd cmd, long pid, Stdio stdio) {
        this.containerId = containerId;
        this.execId = execId;
        this.cmd = cmd;
        this.pid = pid;
        this.stdio = stdio;
    }

    String containerId() {
        return containerId;
    }

    String execId() {
        return execId;
    }

    boolean isInit() {
        return execId.isEmpty();
    }

    /** How vc names this process: the container id for the init process. */
    String vcExecId() {
        return isInit() ? containerId : execId;
    }

    Cmd cmd() {
        return cmd;
    }

    Stdio stdio() {
        return stdio;
    }

    Phase phase() {
        return phase;
    }

    long pid() {
        return pid;
    }

    void started(long hostPid) {
        require(Phase.CREATED, "start");
        if (hostPid > 0) {
            pid = hostPid;
        }
        phase = Phase.RUNNING;
    }

    /** Records the exit; false if it was already recorded. */
    boolean exited(ExitStatus status) {
        if (phase == Phase.STOPPED) {
            return false;
        }
        phase = Phase.STOPPED;
        exit.complete(status);
        return true;
    }

    /** Its exit, or null while it has not exited. */
    ExitStatus exitStatus() {
        return exit.getNow(null);
    }

    /** Blocks until the process exited and its output was written out. */
    ExitStatus awaitExit() throws InterruptedException {
        try {
            return exit.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    void require(Phase expected, String action) {
        if (phase != expected) {
            throw new VcException.FailedPrecondition("cannot " + action + " process " + this + ": it is "
                    + phase.name().toLowerCase(java.util.Locale.ROOT));
        }
    }

    /**
     * Ends the process record as it is deleted: its exit, or for a process that never ran an exit 0 now,
     * which also releases anyone waiting for it.
     */
    ExitStatus finish() {
        exited(new ExitStatus(0, Instant.now()));
        return exitStatus();
    }

    @Override
    public String toString() {
        return isInit() ? containerId : containerId + "/" + execId;
    }
}
