package io.vcj.qemu;

import io.vcj.vc.hypervisor.HypervisorConfig;
import io.vcj.vc.hypervisor.HypervisorException;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** One virtiofsd serving one shared directory to QEMU over a vhost-user socket in the run dir. */
final class VirtiofsDaemon {

    private static final Logger LOG = LogManager.getLogger(VirtiofsDaemon.class);
    static final Path DEFAULT_BINARY = Path.of("/usr/lib/qemu/virtiofsd");

    private final String qemuId;
    private final RunDir runDir;
    private final Process process;
    private volatile boolean stopping;

    private VirtiofsDaemon(String qemuId, RunDir runDir, Process process) {
        this.qemuId = qemuId;
        this.runDir = runDir;
        this.process = process;
    }

    static Path binary(HypervisorConfig config) {
        return config.virtioFsDaemon() != null ? config.virtioFsDaemon() : DEFAULT_BINARY;
    }

    static List<String> argv(Path binary, Path socket, Path sharedDir) {
        return List.of(binary.toString(), "--socket-path=" + socket,
                "-o", "source=" + sharedDir, "-o", "cache=auto", "-o", "sandbox=chroot", "-o", "xattr");
    }

    /** Starts the daemon and returns once its socket is there for QEMU to connect to. */
    static VirtiofsDaemon start(Path binary, String qemuId, Path sharedDir, RunDir runDir, Duration timeout) {
        Path socket = runDir.virtiofsSocket(qemuId);
        ConfigValidator.socketPath(socket);
        Process process;
        try {
            process = new ProcessBuilder(argv(binary, socket, sharedDir))
                    .redirectErrorStream(true)
                    .redirectOutput(runDir.virtiofsLog(qemuId).toFile())
                    .start();
        } catch (IOException e) {
            throw new HypervisorException("cannot start virtiofsd " + binary + " for " + sharedDir + ": " + e.getMessage(), e);
        }
        VirtiofsDaemon daemon = new VirtiofsDaemon(qemuId, runDir, process);
        process.onExit().thenAccept(daemon::reportUnexpectedExit);
        try {
            Files.writeString(runDir.virtiofsPidFile(qemuId), Long.toString(process.pid()));
            daemon.awaitSocket(socket, timeout);
            LOG.info("virtiofsd pid {} serves {} on {}", process.pid(), sharedDir, socket);
            return daemon;
        } catch (IOException | RuntimeException e) {
            daemon.stop();
            throw e instanceof HypervisorException he ? he
                    : new HypervisorException("virtiofsd for " + sharedDir + " failed: " + e.getMessage(), e);
        }
    }

    long pid() {
        return process.pid();
    }

    /** virtiofsd exits by itself when QEMU goes; call this before stopping QEMU so that is no surprise. */
    void expectExit() {
        stopping = true;
    }

    /** Terminates the daemon (it normally exits with QEMU anyway) and removes its socket and pid file. */
    void stop() {
        stopping = true;
        Processes.terminate(process.toHandle(), Duration.ofSeconds(2));
        Files2.deleteQuietly(runDir.virtiofsSocket(qemuId));
        Files2.deleteQuietly(runDir.virtiofsPidFile(qemuId));
    }

    /**
     * The guest loses its shared directory when virtiofsd dies, so that must not go unnoticed; a
     * clean exit is virtiofsd following QEMU, which closed the vhost-user socket.
     */
    private void reportUnexpectedExit(Process exited) {
        if (stopping || exited.exitValue() == 0) {
            LOG.info("virtiofsd pid {} for {} exited", exited.pid(), qemuId);
        } else {
            LOG.warn("virtiofsd pid {} for {} exited with status {}: {}", exited.pid(), qemuId, exited.exitValue(),
                    Files2.tail(runDir.virtiofsLog(qemuId)));
        }
    }

    private void awaitSocket(Path socket, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!Files.exists(socket)) {
            if (!process.isAlive()) {
                throw new HypervisorException("virtiofsd exited with status " + process.exitValue() + " before creating "
                        + socket + ": " + Files2.tail(runDir.virtiofsLog(qemuId)));
            }
            if (System.nanoTime() > deadline) {
                throw new HypervisorException("virtiofsd did not create " + socket + " within " + timeout.toMillis() + " ms");
            }
            Processes.sleep(Duration.ofMillis(10));
        }
    }
}
