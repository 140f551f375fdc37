package io.vcj.qemu;

import io.vcj.qemu.qmp.QmpClient;
import io.vcj.qemu.qmp.QmpException;
import io.vcj.vc.hypervisor.HypervisorException;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A running QEMU and the QMP session that controls it: either launched by us (a child, whose exit
 * status we get) or found again from its run dir by another process.
 */
final class QemuProcess implements AutoCloseable {

    private static final Logger LOG = LogManager.getLogger(QemuProcess.class);
    private static final Duration QMP_POLL = Duration.ofMillis(5);
    private static final Duration QMP_GREETING = Duration.ofSeconds(2);

    private final ProcessHandle handle;
    private final RunDir runDir;
    private final QmpClient qmp;
    private final CompletableFuture<Integer> exited;

    private QemuProcess(ProcessHandle handle, RunDir runDir, QmpClient qmp, CompletableFuture<Integer> exited) {
        this.handle = handle;
        this.runDir = runDir;
        this.qmp = qmp;
        this.exited = exited;
    }

    /**
     * Executes {@code argv} and returns once QMP answers. On any failure the process is killed and
     * the exception carries the end of QEMU's own log, which says why it would not start.
     */
    static QemuProcess launch(List<String> argv, RunDir runDir, Duration timeout) {
        LOG.debug("starting {}", argv);
        Process process;
        try {
            process = new ProcessBuilder(argv)
                    .redirectErrorStream(true)
                    .redirectOutput(runDir.qemuLog().toFile())
                    .start();
        } catch (IOException e) {
            throw new HypervisorException("cannot execute " + argv.getFirst() + ": " + e.getMessage(), e);
        }
        CompletableFuture<Integer> exited = process.onExit().thenApply(Process::exitValue);
        try {
            QmpClient qmp = awaitQmp(process, runDir, timeout);
            return new QemuProcess(process.toHandle(), runDir, qmp, exited);
        } catch (RuntimeException e) {
            Processes.kill(process.toHandle());
            throw e;
        }
    }

    /**
     * Finds the QEMU of {@code runDir} from its pid file. The QMP session is optional here: when
     * the monitor cannot be reached the process can still be killed.
     */
    static Optional<QemuProcess> attach(RunDir runDir) {
        Optional<ProcessHandle> handle = readPid(runDir.pidFile()).flatMap(ProcessHandle::of)
                .filter(ProcessHandle::isAlive)
                .filter(p -> belongsTo(p, runDir));
        if (handle.isEmpty()) {
            return Optional.empty();
        }
        QmpClient qmp = null;
        try {
            qmp = QmpClient.connect(runDir.attachQmpSocket(), QMP_GREETING);
        } catch (IOException e) {
            LOG.warn("QEMU pid {} of {} has no reachable monitor ({}); it can only be killed", handle.get().pid(),
                    runDir.path(), e.getMessage());
        }
        CompletableFuture<Integer> exited = handle.get().onExit().thenApply(p -> -1);
        return Optional.of(new QemuProcess(handle.get(), runDir, qmp, exited));
    }

    long pid() {
        return handle.pid();
    }

    boolean isAlive() {
        return handle.isAlive();
    }

    /** The exit status; -1 when we attached to a QEMU that is not our child, whose status we cannot see. */
    CompletableFuture<Integer> exited() {
        return exited;
    }

    /** The QMP session; fails when an attached QEMU's monitor could not be reached. */
    QmpClient qmp() {
        if (qmp == null) {
            throw new HypervisorException("no QMP session with QEMU pid " + handle.pid() + " of " + runDir.path());
        }
        return qmp;
    }

    /**
     * Ends QEMU: {@code system_powerdown} and up to {@code grace} for the guest to power off, then
     * {@code quit}, then SIGKILL.
     */
    void shutdown(Duration grace) {
        if (!grace.isZero() && guestRunning() && tryQmp("system_powerdown") && Processes.awaitExit(handle, grace)) {
            return;
        }
        if (tryQmp("quit") && Processes.awaitExit(handle, Duration.ofSeconds(2))) {
            return;
        }
        Processes.kill(handle);
    }

    @Override
    public void close() {
        if (qmp != null) {
            qmp.close();
        }
    }

    /** A paused guest cannot answer the power button, so waiting for it would only burn the grace period. */
    private boolean guestRunning() {
        try {
            return qmp != null && qmp.execute("query-status", null, Duration.ofSeconds(2)).path("running").asBoolean();
        } catch (QmpException e) {
            return false;
        }
    }

    private boolean tryQmp(String command) {
        if (qmp == null || !handle.isAlive()) {
            return false;
        }
        try {
            qmp.execute(command, null, Duration.ofSeconds(2));
            return true;
        } catch (QmpException e) {
            LOG.debug("{} on QEMU pid {}: {}", command, handle.pid(), e.getMessage());
            return false;
        }
    }

    private static QmpClient awaitQmp(Process process, RunDir runDir, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Path socket = runDir.qmpSocket();
        while (true) {
            if (!process.isAlive()) {
                throw new HypervisorException("QEMU exited with status " + process.exitValue() + " during startup: "
                        + Files2.tail(runDir.qemuLog()));
            }
            if (Files.exists(socket)) {
                try {
                    return QmpClient.connect(socket, QMP_GREETING);
                } catch (IOException e) {
                    LOG.debug("QMP at {} not ready: {}", socket, e.getMessage());
                }
            }
            if (System.nanoTime() > deadline) {
                throw new HypervisorException("QEMU did not open its QMP socket " + socket + " within "
                        + timeout.toMillis() + " ms");
            }
            Processes.sleep(QMP_POLL);
        }
    }

    private static Optional<Long> readPid(Path pidFile) {
        try {
            return Optional.of(Long.parseLong(Files.readString(pidFile).strip()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Guards against a recycled pid: the process must be the QEMU that wrote this pid file. */
    private static boolean belongsTo(ProcessHandle process, RunDir runDir) {
        return process.info().arguments()
                .map(args -> List.of(args).contains(runDir.pidFile().toString()))
                .orElse(true);
    }
}
