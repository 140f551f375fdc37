package io.vcj.qemu;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** What a VM leaves in its run dir, removed once the VM is gone. */
final class RunDirCleanup {

    private static final Logger LOG = LogManager.getLogger(RunDirCleanup.class);

    private RunDirCleanup() {
    }

    /** After a stop: sockets and pid files go, the logs stay for whoever looks into what happened. */
    static void afterStop(RunDir runDir) {
        stopLeftoverVirtiofsd(runDir);
        delete(runFiles(runDir, "*.vfs.sock"));
    }

    /** After a failed start: everything the start made goes, the directory too when createVM made it. */
    static void afterFailedStart(RunDir runDir, boolean removeDirectory) {
        List<Path> files = runFiles(runDir, "*.vfs.*");
        files.addAll(List.of(runDir.qemuLog(), runDir.consoleLog()));
        delete(files);
        if (removeDirectory) {
            Files2.deleteQuietly(runDir.path()); // only when empty: never someone else's files
        }
    }

    /**
     * virtiofsd daemons are children of the process that started the VM; one that stops the VM from
     * another process finds them through their pid files.
     */
    private static void stopLeftoverVirtiofsd(RunDir runDir) {
        if (!Files.isDirectory(runDir.path())) {
            return;
        }
        try (DirectoryStream<Path> pidFiles = Files.newDirectoryStream(runDir.path(), "*.vfs.pid")) {
            for (Path pidFile : pidFiles) {
                long pid = Long.parseLong(Files.readString(pidFile).strip());
                ProcessHandle.of(pid)
                        .filter(p -> p.info().command().map(c -> c.contains("virtiofsd")).orElse(false))
                        .ifPresent(p -> Processes.terminate(p, Duration.ofSeconds(2)));
                Files2.deleteQuietly(pidFile);
            }
        } catch (IOException | NumberFormatException e) {
            LOG.warn("cannot clean up virtiofsd daemons of {}: {}", runDir.path(), e.getMessage());
        }
    }

    private static List<Path> runFiles(RunDir runDir, String virtiofsGlob) {
        List<Path> files = new ArrayList<>(List.of(runDir.qmpSocket(), runDir.attachQmpSocket(),
                runDir.agentSocket(), runDir.pidFile()));
        if (Files.isDirectory(runDir.path())) {
            try (DirectoryStream<Path> virtiofs = Files.newDirectoryStream(runDir.path(), virtiofsGlob)) {
                virtiofs.forEach(files::add);
            } catch (IOException e) {
                LOG.warn("cannot list {}: {}", runDir.path(), e.getMessage());
            }
        }
        return files;
    }

    private static void delete(List<Path> files) {
        files.forEach(Files2::deleteQuietly);
    }
}
