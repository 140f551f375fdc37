package io.vcj.qemu;

import io.vcj.vc.hypervisor.Device;
import io.vcj.vc.hypervisor.HypervisorConfig;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A guest that boots in seconds under TCG: the guest kernel from scripts/build-guest (or
 * $VCJ_TEST_KERNEL) and a busybox initramfs whose /init prints {@link #MARKER}, then either
 * powers off ({@code vcj.test=poweroff} on the kernel command line) or idles.
 */
final class TestGuest {

    static final String MARKER = "VCJ-QEMU-TEST-BOOTED";
    static final Path QEMU = Path.of("/usr/bin/qemu-system-x86_64");
    static final Path BUSYBOX = Path.of("/bin/busybox");

    private static final String INIT = """
            #!/bin/busybox sh
            /bin/busybox mount -t proc proc /proc
            echo %s
            if /bin/busybox grep -q vcj.test=poweroff /proc/cmdline; then /bin/busybox poweroff -f; fi
            while true; do /bin/busybox sleep 3600; done
            """.formatted(MARKER);

    private TestGuest() {
    }

    /** The kernel to boot; the test is skipped where none has been built. */
    static Path kernel() {
        String env = System.getenv("VCJ_TEST_KERNEL");
        Path kernel = env != null ? Path.of(env)
                : Path.of(System.getenv().getOrDefault("VCJ_CACHE", "/var/cache/vcj"), "guest", "vmlinuz");
        Assumptions.assumeTrue(Files.isReadable(kernel), "no guest kernel at " + kernel + ": run scripts/build-guest");
        return kernel;
    }

    static Path initramfs(Path dir) throws IOException {
        Path initrd = dir.resolve("test-initrd.img");
        byte[] cpio = new NewcCpio()
                .dir("bin").dir("dev").dir("proc")
                .charDevice("dev/console", 5, 1)
                .file("bin/busybox", 0755, Files.readAllBytes(BUSYBOX))
                .file("init", 0755, INIT.getBytes(StandardCharsets.US_ASCII))
                .finish();
        Files.write(initrd, cpio);
        return initrd;
    }

    /** A q35 TCG config with 256 MiB and one vCPU; callers change what they test. */
    static HypervisorConfig config(Path kernel, Path initrd, List<String> kernelParams, List<String> qemuParams) {
        return new HypervisorConfig(kernel, initrd, null, null, QEMU, "q35", null, "tcg",
                kernelParams, qemuParams, 1, 256, Device.SharedFs.VIRTIO_9P, null, null, false, Map.of());
    }

    /** Waits until the console log shows the marker; fails the test with the log on timeout. */
    static String awaitConsole(Path consoleLog, String text, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(consoleLog)) {
                String log = Files.readString(consoleLog, StandardCharsets.ISO_8859_1);
                if (log.contains(text)) {
                    return log;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("'" + text + "' not on the console within " + timeout.toSeconds() + "s; console:\n"
                + (Files.exists(consoleLog) ? Files.readString(consoleLog, StandardCharsets.ISO_8859_1) : "(no log)"));
    }
}
