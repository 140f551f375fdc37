package io.vcj.qemu;

import io.vcj.qemu.qmp.QmpClient;
import io.vcj.vc.hypervisor.Device;
import io.vcj.vc.hypervisor.HotplugResult;
import io.vcj.vc.hypervisor.HypervisorConfig;
import io.vcj.vc.hypervisor.HypervisorException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Hotplug into a booted q35 guest with a single free PCIe root port. */
@Timeout(value = 5, unit = TimeUnit.MINUTES) // a hung QEMU fails the test instead of the build
class HotplugTest {

    @TempDir
    Path temp;
    private Path runDir;
    private QemuHypervisor vm;

    @BeforeEach
    void bootGuest() throws Exception {
        HypervisorConfig base = TestGuest.config(TestGuest.kernel(), TestGuest.initramfs(temp), List.of(), List.of());
        HypervisorConfig config = new HypervisorConfig(base.kernelPath(), base.initrdPath(), null, null, base.hypervisorPath(),
                "q35", null, "tcg", List.of(), List.of(), 1, 256, null, null, null, false,
                Map.of(QemuHypervisor.HOTPLUG_PORTS, "1"));
        runDir = temp.resolve("run");
        vm = new QemuHypervisor(new AcceleratorProbe(temp.resolve("cache"), Duration.ofSeconds(1)));
        vm.createVM("hotplug", config, runDir);
        vm.startVM(Duration.ofSeconds(20));
        // the guest's PCIe hotplug driver has to be up to acknowledge an unplug
        TestGuest.awaitConsole(runDir.resolve("console.log"), TestGuest.MARKER, Duration.ofSeconds(60));
    }

    @AfterEach
    void stop() {
        vm.stopVM(Duration.ZERO);
    }

    @Test
    void blockDeviceIsPluggedIntoARootPortAndUnpluggedWithTheGuestsConsent() throws Exception {
        Path disk = temp.resolve("disk.raw");
        Files.write(disk, new byte[1 << 20]);
        Device.Block block = new Device.Block("data", disk, true);

        HotplugResult result = vm.hotplugAddDevice(block);

        try (QmpClient observer = QmpClient.connect(runDir.resolve("qmp-attach.sock"), Duration.ofSeconds(5))) {
            assertTrue(result.guestAddress().matches("[0-9a-f]{2}/00"), result.guestAddress());
            String pci = observer.execute("query-pci").toString();
            assertTrue(pci.contains("\"qdev_id\":\"vblk-data\""), pci);
            String blocks = observer.execute("query-block").toString();
            assertTrue(blocks.contains(disk.toString()), blocks);

            vm.hotplugRemoveDevice(block);

            assertFalse(observer.execute("query-pci").toString().contains("vblk-data"));
            assertFalse(observer.execute("query-block").toString().contains(disk.toString()), "backend removed too");
        }
        assertEquals(result, vm.hotplugAddDevice(block), "the freed port is used again");
    }

    @Test
    void failedHotplugReportsQemusErrorAndFreesThePort() throws Exception {
        HypervisorException e = assertThrows(HypervisorException.class,
                () -> vm.hotplugAddDevice(new Device.Vfio("gpu", "0000:ff:1f.7")));
        assertEquals("hotplug of device gpu failed: device_add: vfio /sys/bus/pci/devices/0000:ff:1f.7: no such host device: "
                + "No such file or directory", e.getMessage());

        Path disk = Files.write(temp.resolve("disk.raw"), new byte[4096]);
        vm.hotplugAddDevice(new Device.Block("data", disk, false));
        e = assertThrows(HypervisorException.class,
                () -> vm.hotplugAddDevice(new Device.Block("more", disk, false)));
        assertEquals("no free hotplug port for device more: all 1 are in use", e.getMessage());
    }

    @Test
    void tapNicIsPluggedAndUnpluggedWithItsBackend() throws Exception {
        String tap = "vcjh" + ProcessHandle.current().pid() % 100000;
        assertEquals(0, new ProcessBuilder("ip", "tuntap", "add", "dev", tap, "mode", "tap").start().waitFor());
        try {
            Device.Network nic = new Device.Network("eth0", tap, "02:00:00:00:00:02", 1400);

            vm.hotplugAddDevice(nic);

            try (QmpClient observer = QmpClient.connect(runDir.resolve("qmp-attach.sock"), Duration.ofSeconds(5))) {
                assertTrue(observer.execute("query-pci").toString().contains("\"qdev_id\":\"vnet-eth0\""));
                vm.hotplugRemoveDevice(nic);
                assertFalse(observer.execute("query-pci").toString().contains("vnet-eth0"));
            }
        } finally {
            new ProcessBuilder("ip", "link", "del", tap).start().waitFor();
        }
    }

    @Test
    void sharedDirectoriesAreColdPlugOnly() {
        HypervisorException e = assertThrows(HypervisorException.class, () -> vm.hotplugAddDevice(
                new Device.SharedDirectory("late", "late", temp, Device.SharedFs.VIRTIO_9P, false)));
        assertEquals("shared directory late cannot be hot-plugged; add it before the VM starts", e.getMessage());
    }
}
