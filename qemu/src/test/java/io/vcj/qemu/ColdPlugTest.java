package io.vcj.qemu;

import io.vcj.qemu.qmp.QmpClient;
import io.vcj.vc.hypervisor.Device;
import io.vcj.vc.hypervisor.HypervisorConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line's device flags as a real QEMU takes them, on both machine types. */
@Timeout(value = 5, unit = TimeUnit.MINUTES) // a hung QEMU fails the test instead of the build
class ColdPlugTest {

    @TempDir
    Path temp;
    private QemuHypervisor vm;
    private String tap;
    private String netns;

    @AfterEach
    void cleanUp() throws Exception {
        if (vm != null) {
            vm.stopVM(Duration.ZERO);
        }
        if (tap != null) {
            run("ip", "link", "del", tap);
        }
        if (netns != null) {
            run("ip", "netns", "del", netns);
        }
    }

    private HypervisorConfig config(String machine, List<String> kernelParams) throws Exception {
        return new HypervisorConfig(TestGuest.kernel(), TestGuest.initramfs(temp), null, null, TestGuest.QEMU, machine, null,
                "tcg", kernelParams, List.of(), 1, 256, Device.SharedFs.VIRTIO_9P, null, null, false, Map.of());
    }

    private static int run(String... command) throws Exception {
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start().waitFor();
    }

    @Test
    void sharedDirectoryDiskAndTapNicAppearOnTheGuestsPciBus() throws Exception {
        Path disk = Files.write(temp.resolve("disk.raw"), new byte[1 << 20]);
        tap = "vcjq" + ProcessHandle.current().pid() % 100000;
        assertEquals(0, run("ip", "tuntap", "add", "dev", tap, "mode", "tap"), "creating tap " + tap);
        Path runDir = temp.resolve("run");
        vm = new QemuHypervisor(new AcceleratorProbe(temp.resolve("cache"), Duration.ofSeconds(1)));
        vm.createVM("cold", config("q35", List.of()), runDir);
        vm.addDevice(new Device.SharedDirectory("share", "vcjshared", temp, null, true));
        vm.addDevice(new Device.Block("disk", disk, false));
        vm.addDevice(new Device.Network("eth0", tap, "02:00:00:00:00:01", 1400));

        vm.startVM(Duration.ofSeconds(20));

        try (QmpClient observer = QmpClient.connect(runDir.resolve("qmp-attach.sock"), Duration.ofSeconds(5))) {
            String pci = observer.execute("query-pci").toString();
            for (String id : List.of("v9p-share", "vblk-disk", "vnet-eth0")) {
                assertTrue(pci.contains("\"qdev_id\":\"" + id + "\""), id + " in " + pci);
            }
        }
    }

    @Test
    void qemuStartsInTheSandboxNetnsToOpenItsTap() throws Exception {
        netns = "vcjq" + ProcessHandle.current().pid() % 100000;
        assertEquals(0, run("ip", "netns", "add", netns));
        assertEquals(0, run("ip", "-n", netns, "tuntap", "add", "dev", "tap0_kata", "mode", "tap"));
        Path runDir = temp.resolve("run");
        vm = new QemuHypervisor(new AcceleratorProbe(temp.resolve("cache"), Duration.ofSeconds(1)));
        vm.createVM("netns", config("q35", List.of()), runDir);
        vm.networkNamespace(Path.of("/run/netns/" + netns));
        vm.addDevice(new Device.Network("eth0", "tap0_kata", "02:00:00:00:00:03", 1500));

        vm.startVM(Duration.ofSeconds(20));

        long pid = vm.pids().getFirst();
        assertEquals(netnsInode(Path.of("/run/netns/" + netns)), netnsInode(Path.of("/proc/" + pid + "/ns/net")),
                "QEMU pid " + pid + " runs in " + netns);
    }

    /** A namespace is identified by its nsfs inode, both behind /proc/PID/ns and the ip-netns bind mount. */
    private static long netnsInode(Path path) throws Exception {
        return (long) Files.getAttribute(path, "unix:ino");
    }

    @Test
    void microvmGuestBootsWithVirtioMmio() throws Exception {
        Path runDir = temp.resolve("run");
        vm = new QemuHypervisor(new AcceleratorProbe(temp.resolve("cache"), Duration.ofSeconds(1)));
        vm.createVM("micro", config("microvm", List.of("vcj.test=poweroff")), runDir);
        vm.addDevice(new Device.Block("disk", Files.write(temp.resolve("disk.raw"), new byte[4096]), true));

        vm.startVM(Duration.ofSeconds(20));

        TestGuest.awaitConsole(runDir.resolve("console.log"), TestGuest.MARKER, Duration.ofSeconds(60));
        assertEquals(0, vm.exited().get(30, TimeUnit.SECONDS), "QEMU exits 0 when the guest powers off");
    }
}
