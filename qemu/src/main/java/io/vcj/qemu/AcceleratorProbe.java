package io.vcj.qemu;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vcj.vc.hypervisor.HypervisorConfig;
import io.vcj.vc.hypervisor.HypervisorException;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Decides between KVM and TCG for {@code accelerator=auto}. A /dev/kvm that opens is not enough:
 * under broken nested virtualization KVM creates VMs whose guests hang after the kernel loads. So
 * the probe boots the configured kernel under KVM with no root and no init, which must panic and
 * (with panic=-1 and -no-reboot) make QEMU exit within the deadline. The verdict is cached per
 * host kernel, QEMU version and /dev/kvm presence, since a probe costs seconds.
 */
public final class AcceleratorProbe {

    private static final Logger LOG = LogManager.getLogger(AcceleratorProbe.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path KVM_DEVICE = Path.of("/dev/kvm");
    private static final String PROBE_PARAMS = "console=ttyS0 quiet panic=-1 rdinit=/vcj-probe-none root=/dev/vcj-probe-none";

    private final Path cacheDir;
    private final Duration deadline;

    public AcceleratorProbe(Path cacheDir, Duration deadline) {
        this.cacheDir = cacheDir;
        this.deadline = deadline;
    }

    /** Caches under {@code $VCJ_CACHE} (default /var/cache/vcj), 5 s for the guest to boot. */
    public static AcceleratorProbe defaults() {
        String cache = System.getenv().getOrDefault("VCJ_CACHE", "/var/cache/vcj");
        return new AcceleratorProbe(Path.of(cache), Duration.ofSeconds(5));
    }

    /** The verdict and why, for the log line. */
    public record Choice(Accelerator accelerator, String reason) {
    }

    public Choice choose(HypervisorConfig config) {
        String requested = config.accelerator() == null ? "auto" : config.accelerator();
        Choice choice = requested.equals("auto")
                ? probeCached(config)
                : new Choice(Accelerator.forced(requested), "forced by config");
        LOG.info("accelerator: {} ({})", choice.accelerator().qemuName(), choice.reason());
        return choice;
    }

    private Choice probeCached(HypervisorConfig config) {
        boolean kvmPresent = Files.isReadable(KVM_DEVICE) && Files.isWritable(KVM_DEVICE);
        if (!kvmPresent) {
            return new Choice(Accelerator.TCG, "kvm probe: /dev/kvm absent or not accessible");
        }
        String key = "host-kernel=" + hostKernel() + " qemu=" + qemuVersion(config.hypervisorPath()) + " kvm=present";
        Path cacheFile = cacheDir.resolve("accel-probe.json");
        try {
            JsonNode cached = JSON.readTree(cacheFile.toFile());
            if (key.equals(cached.path("key").asText())) {
                return new Choice(Accelerator.valueOf(cached.path("accelerator").asText()),
                        cached.path("reason").asText() + ", cached");
            }
        } catch (IOException | IllegalArgumentException e) {
            LOG.debug("no usable accelerator cache at {}: {}", cacheFile, e.toString());
        }
        Choice choice = probe(config);
        store(cacheFile, key, choice);
        return choice;
    }

    private Choice probe(HypervisorConfig config) {
        Path workDir = null;
        Process process = null;
        try {
            workDir = Files.createTempDirectory("vcj-kvm-probe");
            Path console = workDir.resolve("console.log");
            List<String> argv = List.of(config.hypervisorPath().toString(),
                    "-machine", "q35", "-accel", "kvm", "-cpu", "host", "-m", "256M",
                    "-nodefaults", "-no-user-config", "-nographic", "-no-reboot",
                    "-kernel", config.kernelPath().toString(), "-append", PROBE_PARAMS,
                    "-serial", "file:" + console);
            process = new ProcessBuilder(argv).redirectErrorStream(true)
                    .redirectOutput(workDir.resolve("qemu.log").toFile()).start();
            if (!Processes.awaitExit(process.toHandle(), deadline)) {
                return new Choice(Accelerator.TCG, "kvm probe: guest did not boot within " + deadline.toSeconds() + "s");
            }
            String log = Files.readString(console, StandardCharsets.ISO_8859_1);
            if (!log.contains("Kernel panic")) {
                return new Choice(Accelerator.TCG, "kvm probe: QEMU exited with status " + process.exitValue()
                        + " before the guest kernel ran: " + Files2.tail(workDir.resolve("qemu.log")));
            }
            return new Choice(Accelerator.KVM, "kvm probe: guest kernel booted");
        } catch (IOException e) {
            return new Choice(Accelerator.TCG, "kvm probe failed: " + e.getMessage());
        } finally {
            if (process != null) {
                Processes.kill(process.toHandle());
            }
            deleteTree(workDir);
        }
    }

    private void store(Path cacheFile, String key, Choice choice) {
        try {
            Files.createDirectories(cacheDir);
            Path temp = Files.createTempFile(cacheDir, "accel-probe", ".tmp");
            JSON.writeValue(temp.toFile(), JSON.createObjectNode()
                    .put("key", key).put("accelerator", choice.accelerator().name()).put("reason", choice.reason()));
            Files.move(temp, cacheFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            LOG.warn("cannot cache the accelerator verdict in {}: {}", cacheFile, e.getMessage());
        }
    }

    private static String hostKernel() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/osrelease")).strip();
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String qemuVersion(Path qemu) {
        return QemuVersion.of(qemu).orElseThrow(() -> new HypervisorException(qemu + " --version failed: it cannot run"));
    }

    private static void deleteTree(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(Files2::deleteQuietly);
        } catch (IOException e) {
            LOG.warn("cannot remove probe directory {}: {}", dir, e.getMessage());
        }
    }
}
