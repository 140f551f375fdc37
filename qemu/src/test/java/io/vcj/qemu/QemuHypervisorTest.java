package io.vcj.qemu;

import io.vcj.qemu.qmp.QmpClient;
import io.vcj.vc.hypervisor.AgentChannel;
import io.vcj.vc.hypervisor.Device;
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
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Real VMs under TCG: one at a time, each stopped (and checked gone) by the test. */
@Timeout(value = 5, unit = TimeUnit.MINUTES) // a hung QEMU fails the test instead of the build
class QemuHypervisorTest {

    private static final Duration START = Duration.ofSeconds(20);
    private static final Duration BOOT = Duration.ofSeconds(60);

    @TempDir
    Path temp;
    private Path kernel;
    private Path initrd;
    private Path runDir;
    private QemuHypervisor vm;

    @BeforeEach
    void guest() throws Exception {
        kernel = TestGuest.kernel();
        initrd = TestGuest.initramfs(temp);
        runDir = temp.resolve("run");
        vm = new QemuHypervisor(new AcceleratorProbe(temp.resolve("cache"), Duration.ofSeconds(3)));
    }

    @AfterEach
    void stop() {
        vm.stopVM(Duration.ZERO);
    }

    private HypervisorConfig config(List<String> kernelParams) {
        return TestGuest.config(kernel, initrd, kernelParams, List.of());
    }

    private static List<String> sockets(Path dir) throws Exception {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(Path::getFileName).map(Path::toString).filter(n -> n.endsWith(".sock")).sorted().toList();
        }
    }

    @Test
    void guestBootsToItsInitUnderTcgAndPowersOff() throws Exception {
        vm.createVM("boot", config(List.of("vcj.test=poweroff")), runDir);
        vm.startVM(START);

        assertEquals(0, vm.exited().get(BOOT.toSeconds(), TimeUnit.SECONDS), "QEMU exits 0 when the guest powers off");
        String console = Files.readString(runDir.resolve("console.log"));
        assertTrue(console.contains(TestGuest.MARKER), console);
        assertEquals(Accelerator.TCG, vm.accelerator());
    }

    @Test
    void runningVmPausesResumesAndStopsLeavingNoProcessOrSocket() throws Exception {
        vm.createVM("life", config(List.of()), runDir);
        vm.startVM(START);
        TestGuest.awaitConsole(runDir.resolve("console.log"), TestGuest.MARKER, BOOT);
        long pid = vm.pids().getFirst();
        assertEquals(new AgentChannel.SerialSocket(runDir.resolve("agent.sock")), vm.agentChannel());
        assertEquals(List.of("agent.sock", "qmp-attach.sock", "qmp.sock"), sockets(runDir));

        try (QmpClient observer = QmpClient.connect(runDir.resolve("qmp-attach.sock"), Duration.ofSeconds(5))) {
            vm.pauseVM();
            assertEquals("paused", observer.execute("query-status").path("status").asText());
            vm.resumeVM();
            assertEquals("running", observer.execute("query-status").path("status").asText());
        }

        vm.stopVM(Duration.ofSeconds(1));

        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "QEMU is gone");
        assertEquals(List.of(), sockets(runDir));
        assertFalse(Files.exists(runDir.resolve("qemu.pid")));
        assertTrue(vm.exited().isDone());
        vm.stopVM(Duration.ZERO);
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES) // fails instead of sitting out the grace period
    void pausedVmStopsWithoutWaitingForItsPowerButton() throws Exception {
        vm.createVM("paused", config(List.of()), runDir);
        vm.startVM(START);
        vm.pauseVM();

        vm.stopVM(Duration.ofMinutes(10));

        assertEquals(0, vm.exited().getNow(-1), "QEMU quit cleanly");
    }

    @Test
    void qemuKilledBySigkillCompletesExited() throws Exception {
        vm.createVM("killed", config(List.of()), runDir);
        vm.startVM(START);
        long pid = vm.pids().getFirst();

        new ProcessBuilder("kill", "-KILL", Long.toString(pid)).start().waitFor();

        assertEquals(128 + 9, vm.exited().get(10, TimeUnit.SECONDS));
        assertEquals(List.of(), vm.pids());
        vm.stopVM(Duration.ZERO);
        assertEquals(List.of(), sockets(runDir));
    }

    @Test
    void anotherProcessFindsTheVmFromItsRunDirAndStopsIt() throws Exception {
        vm.createVM("attached", config(List.of()), runDir);
        vm.startVM(START);
        long pid = vm.pids().getFirst();

        QemuHypervisor second = QemuHypervisor.attach("attached", runDir);
        assertEquals(List.of(pid), second.pids());
        second.pauseVM();
        second.stopVM(Duration.ZERO);

        assertEquals(-1, second.exited().get(10, TimeUnit.SECONDS), "not our child: status unknown");
        assertEquals(0, vm.exited().get(10, TimeUnit.SECONDS), "the owner sees its child quit");
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
        assertEquals(List.of(), sockets(runDir));
    }

    @Test
    void aSecondJvmStopsTheVmFromItsRunDir() throws Exception {
        vm.createVM("other-jvm", config(List.of()), runDir);
        vm.startVM(START);
        long pid = vm.pids().getFirst();

        Process other = new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(),
                "-cp", System.getProperty("java.class.path"), StopFromAnotherProcess.class.getName(), "other-jvm", runDir.toString())
                .redirectErrorStream(true).start();
        String output = new String(other.getInputStream().readAllBytes());

        assertEquals(0, other.waitFor(), output);
        assertTrue(output.contains("pids [" + pid + "]"), output);
        assertTrue(output.contains("exited -1"), output);
        assertEquals(0, vm.exited().get(10, TimeUnit.SECONDS), "the owner sees its child quit");
        assertEquals(List.of(), sockets(runDir));
    }

    @Test
    void attachingToAStoppedVmOnlyCleansUp() throws Exception {
        Files.createDirectories(runDir);
        Files.writeString(runDir.resolve("qemu.pid"), "999999999\n");

        QemuHypervisor gone = QemuHypervisor.attach("gone", runDir);

        assertTrue(gone.exited().isDone());
        assertEquals(List.of(), gone.pids());
        gone.stopVM(Duration.ZERO);
        assertFalse(Files.exists(runDir.resolve("qemu.pid")));
    }

    @Test
    void failedStartReportsQemusErrorAndLeavesNothingBehind() throws Exception {
        HypervisorConfig config = TestGuest.config(kernel, initrd, List.of(), List.of("-device", "no-such-device-model"));
        vm.createVM("broken", config, runDir);

        HypervisorException e = assertThrows(HypervisorException.class, () -> vm.startVM(START));

        assertTrue(e.getMessage().contains("'no-such-device-model' is not a valid device model name"), e.getMessage());
        assertEquals(List.of(), vm.pids());
        assertFalse(Files.exists(runDir), "the run dir createVM made is gone again");
    }

    @Test
    void virtioFsShareRunsASupervisedVirtiofsdThatStopsWithTheVm() throws Exception {
        Path shared = Files.createDirectories(temp.resolve("shared"));
        HypervisorConfig config = new HypervisorConfig(kernel, initrd, null, null, TestGuest.QEMU, "q35", null, "tcg",
                List.of(), List.of(), 1, 256, Device.SharedFs.VIRTIO_FS, null, null, false, Map.of());
        vm.createVM("vfs", config, runDir);
        vm.addDevice(new Device.SharedDirectory("share0", "vcjshared", shared, null, false));

        vm.startVM(START);
        List<Long> pids = vm.pids();
        assertEquals(2, pids.size(), "QEMU and virtiofsd: " + pids);
        assertTrue(ProcessHandle.of(pids.get(1)).orElseThrow().info().command().orElse("").endsWith("virtiofsd"));

        vm.stopVM(Duration.ZERO);

        pids.forEach(pid -> assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "pid " + pid));
        assertEquals(List.of(), sockets(runDir));
    }

    @Test
    void operationsOutOfOrderAreRefusedWithTheState() {
        HypervisorException e = assertThrows(HypervisorException.class, () -> vm.startVM(START));
        assertEquals("startVM needs a created VM, but VM is new", e.getMessage());

        vm.createVM("order", config(List.of()), runDir);
        e = assertThrows(HypervisorException.class, vm::pauseVM);
        assertEquals("pause needs a running VM, but VM order is created", e.getMessage());
    }
}
