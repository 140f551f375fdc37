package io.vcj.qemu;

import com.fasterxml.jackson.databind.JsonNode;
import io.vcj.qemu.qmp.QmpClient;
import io.vcj.qemu.qmp.QmpCodec;
import io.vcj.qemu.qmp.QmpException;
import io.vcj.vc.hypervisor.HypervisorException;
import io.vcj.vc.hypervisor.VmTemplate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Saves a template VM and resumes clones of it through QEMU's migration, to and from a file. Guest
 * RAM is not in the stream: with x-ignore-shared, QEMU skips the template's shared memory file,
 * which already holds it, so only device state (a few hundred KiB) is written and read.
 */
final class VmMigration {
    private static final Duration POLL = Duration.ofMillis(5);
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    private VmMigration() {
    }

    /** Pauses the VM and writes its device state into the template (to a temporary file, then renamed). */
    static void save(QmpClient qmp, VmTemplate template) {
        Path partial = template.stateFile().resolveSibling(template.stateFile().getFileName() + ".partial");
        qmp.execute("stop");
        ignoreSharedMemory(qmp);
        qmp.execute("migrate", QmpCodec.newObject().put("uri", "exec:cat > " + shellQuoted(partial)));
        awaitCompleted(qmp, "saving the VM to " + partial, () -> true);
        try {
            Files.move(partial, template.stateFile(), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new HypervisorException("cannot rename " + partial + " to " + template.stateFile(), e);
        }
    }

    /**
     * Loads the template's device state into a QEMU started with {@code -incoming defer} and lets the
     * guest run. A QEMU that rejects the state (not the VM the template was saved from) exits.
     */
    static void restore(QmpClient qmp, VmTemplate template, BooleanSupplier qemuAlive) {
        ignoreSharedMemory(qmp);
        qmp.execute("migrate-incoming", QmpCodec.newObject().put("uri", "exec:cat " + shellQuoted(template.stateFile())));
        awaitCompleted(qmp, "resuming the VM from " + template.stateFile(), qemuAlive);
        qmp.execute("cont");
    }

    /** exec: migration URIs go through /bin/sh. */
    private static String shellQuoted(Path path) {
        return "'" + path.toString().replace("'", "'\\''") + "'";
    }

    private static void ignoreSharedMemory(QmpClient qmp) {
        var capabilities = QmpCodec.newObject();
        capabilities.putArray("capabilities").addObject().put("capability", "x-ignore-shared").put("state", true);
        qmp.execute("migrate-set-capabilities", capabilities);
    }

    private static void awaitCompleted(QmpClient qmp, String what, BooleanSupplier qemuAlive) {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (true) {
            JsonNode status;
            try {
                status = qmp.execute("query-migrate");
            } catch (QmpException e) {
                throw new HypervisorException(what + " failed: " + e.getMessage(), e);
            }
            switch (status.path("status").asText("")) {
                case "completed" -> {
                    return;
                }
                case "failed", "cancelled" -> throw new HypervisorException(what + " failed: "
                        + status.path("error-desc").asText("QEMU gave no reason"));
                default -> {
                    if (!qemuAlive.getAsBoolean()) {
                        throw new HypervisorException(what + " failed: QEMU exited");
                    }
                    if (System.nanoTime() > deadline) {
                        throw new HypervisorException(what + " did not finish within " + DEADLINE.toSeconds() + " s");
                    }
                    Processes.sleep(POLL);
                }
            }
        }
    }
}
