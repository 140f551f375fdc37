package io.vcj.qemu;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vcj.vc.hypervisor.HypervisorConfig;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 5, unit = TimeUnit.MINUTES) // a hung QEMU fails the test instead of the build
class AcceleratorProbeTest {

    @TempDir
    Path temp;

    private HypervisorConfig config(String accelerator) throws Exception {
        HypervisorConfig base = TestGuest.config(TestGuest.kernel(), TestGuest.initramfs(temp), List.of(), List.of());
        return new HypervisorConfig(base.kernelPath(), base.initrdPath(), null, null, base.hypervisorPath(), "q35", null,
                accelerator, List.of(), List.of(), 1, 256, null, null, null, false, base.annotations());
    }

    @Test
    void forcedAcceleratorIsTakenWithoutProbing() throws Exception {
        Path cache = temp.resolve("cache");
        AcceleratorProbe probe = new AcceleratorProbe(cache, Duration.ofSeconds(2));

        assertEquals(new AcceleratorProbe.Choice(Accelerator.TCG, "forced by config"), probe.choose(config("tcg")));
        assertEquals(Accelerator.KVM, probe.choose(config("kvm")).accelerator());
        assertFalse(Files.exists(cache), "nothing probed, nothing cached");
    }

    @Test
    void autoProbesOnceAndThenAnswersFromTheCache() throws Exception {
        Path kvm = Path.of("/dev/kvm");
        Assumptions.assumeTrue(Files.isReadable(kvm) && Files.isWritable(kvm), "no usable /dev/kvm: auto means TCG unprobed");
        Path cache = temp.resolve("cache");
        AcceleratorProbe probe = new AcceleratorProbe(cache, Duration.ofSeconds(2));

        AcceleratorProbe.Choice first = probe.choose(config("auto"));
        AcceleratorProbe.Choice second = probe.choose(config("auto"));

        assertTrue(first.reason().startsWith("kvm probe: "), first.reason());
        assertEquals(first.accelerator(), second.accelerator());
        assertEquals(first.reason() + ", cached", second.reason());
        JsonNode stored = new ObjectMapper().readTree(cache.resolve("accel-probe.json").toFile());
        assertTrue(stored.path("key").asText().contains("qemu=QEMU emulator version"), stored.toString());
        assertTrue(stored.path("key").asText().contains("host-kernel=" + System.getProperty("os.version")), stored.toString());
    }

    @Test
    void aCacheFromAnotherHostKernelOrQemuIsIgnored() throws Exception {
        Path kvm = Path.of("/dev/kvm");
        Assumptions.assumeTrue(Files.isReadable(kvm) && Files.isWritable(kvm), "no usable /dev/kvm: auto means TCG unprobed");
        Path cache = Files.createDirectories(temp.resolve("cache"));
        Files.writeString(cache.resolve("accel-probe.json"),
                "{\"key\":\"host-kernel=0.0 qemu=QEMU emulator version 1.0 kvm=present\",\"accelerator\":\"KVM\",\"reason\":\"stale\"}");

        AcceleratorProbe.Choice choice = new AcceleratorProbe(cache, Duration.ofSeconds(2)).choose(config("auto"));

        assertFalse(choice.reason().contains("stale"), choice.reason());
    }
}
