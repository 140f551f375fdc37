package io.vcj.qemu;

import io.vcj.vc.hypervisor.Device;
import io.vcj.vc.hypervisor.HypervisorConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The project's guest image (scripts/build-guest) mounts the shared directory we give it, over 9p
 * and over virtio-fs: its init reports a failed mount on the console, then powers off.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES) // a hung QEMU fails the test instead of the build
class GuestImageSharedFsTest {

    @TempDir
    Path temp;
    private QemuHypervisor vm;

    @AfterEach
    void stop() {
        if (vm != null) {
            vm.stopVM(Duration.ZERO);
        }
    }

    @ParameterizedTest
    @EnumSource(Device.SharedFs.class)
    void guestMountsTheSharedDirectory(Device.SharedFs fs) throws Exception {
        Path kernel = TestGuest.kernel();
        Path initrd = kernel.resolveSibling("initrd.img");
        Assumptions.assumeTrue(Files.isReadable(initrd), "no guest image at " + initrd + ": run scripts/build-guest");
        String mode = fs == Device.SharedFs.VIRTIO_FS ? "virtiofs" : "9p";
        HypervisorConfig config = new HypervisorConfig(kernel, initrd, null, null, TestGuest.QEMU, "q35", null, "tcg",
                List.of("vcj.run=none", "vcj.shared=" + mode), List.of(), 1, 512, fs, null, null, false, Map.of());
        Path runDir = temp.resolve("run");
        vm = new QemuHypervisor(new AcceleratorProbe(temp.resolve("cache"), Duration.ofSeconds(1)));
        vm.createVM("shared-" + mode, config, runDir);
        vm.addDevice(new Device.SharedDirectory("shared", "vcjshared", Files.createDirectories(temp.resolve("shared")), fs, false));

        vm.startVM(Duration.ofSeconds(20));

        String console = TestGuest.awaitConsole(runDir.resolve("console.log"), "vcj-init: powering off", Duration.ofSeconds(120));
        assertTrue(console.contains("vcj-init: ready"), console);
        assertFalse(console.contains("mount failed"), console);
        assertFalse(console.contains("no 9p device"), console);
        vm.exited().get(30, TimeUnit.SECONDS);
    }
}
