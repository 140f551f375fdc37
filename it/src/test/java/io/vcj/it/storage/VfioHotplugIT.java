package io.vcj.it.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vcj.it.HostRequirements;
import io.vcj.it.vm.GuestImage;
import io.vcj.it.vm.VmPods;
import io.vcj.qemu.qmp.QmpClient;
import io.vcj.vc.State;
import io.vcj.vc.VcException;
import io.vcj.vc.config.Cmd;
import io.vcj.vc.config.ContainerConfig;
import io.vcj.vc.config.DeviceInfo;
import io.vcj.vc.config.Rootfs;
import io.vcj.vfio.ContainerVfioDevices;
import io.vcj.vfio.FakeHost;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * VFIO passthrough up to QEMU: a container asks for {@code /dev/vfio/42}; a fake sysfs says group
 * 42 holds 0000:ff:1f.7, bound to vfio-pci; the pod's running QEMU gets QMP device_add vfio-pci for
 * it and refuses, as that function does not exist on this host. The create fails naming the device
 * and QEMU's reason, and the pod goes on.
 */
@Timeout(600)
class VfioHotplugIT {
    private static final String POD = "vfiopod";
    private static final String MISSING_FUNCTION = "0000:ff:1f.7";

    @TempDir
    Path sysRoot;
    private VmPods pods;

    @AfterEach
    void tearDown() throws Exception {
        if (pods != null) {
            pods.close();
        }
    }

    @Test
    void aFunctionQemuCannotOpenFailsTheCreateCleanlyAndThePodGoesOn() throws Exception {
        HostRequirements.assumeRootWithContainerd();
        GuestImage image = GuestImage.get();
        var fakeHost = new FakeHost(sysRoot).function(42, MISSING_FUNCTION, "0x10de", "0x1eb8", "0x030200", FakeHost.VFIO_PCI);
        Path groupNode = fakeHost.groupNode(42);
        pods = new VmPods(new ContainerVfioDevices(fakeHost.host()));
        pods.vc.runSandbox(VmPods.sandbox(POD, VmPods.hypervisor(image.kernel(), image.initrd(), VmPods.QEMU_BINARY))
                .container(pods.container("idle", "sleep", "1000")).build());
        List<Long> vm = pods.vc.statusSandbox(POD).vmPids();

        var gpu = new ContainerConfig("gpu", new Rootfs.HostPath(pods.dir.resolve("rootfs-idle")), false,
                Cmd.of("echo", "never"), List.of(),
                List.of(new DeviceInfo(groupNode, "/dev/vfio/42", "c", 243, 42, 0666, 0, 0)), Map.of(), null);
        var refused = assertThrows(VcException.Unavailable.class, () -> pods.vc.createContainer(POD, gpu));

        assertTrue(refused.getMessage().contains(MISSING_FUNCTION), refused.getMessage());
        assertTrue(refused.getMessage().contains("no such host device"), refused.getMessage());
        assertEquals(List.of("idle"), pods.vc.statusSandbox(POD).containers().stream().map(c -> c.id()).toList());
        assertEquals(vm, pods.vc.statusSandbox(POD).vmPids(), "the same QEMU");
        try (QmpClient qmp = QmpClient.connect(pods.root.resolve(POD).resolve("qmp-attach.sock"), Duration.ofSeconds(30))) {
            assertEquals("running", qmp.execute("query-status").path("status").asText());
            assertFalse(qmp.execute("query-pci").toString().contains("vfio"), "a vfio device is left in the VM");
        }
        pods.vc.createContainer(POD, pods.container("after", "echo", "still fine"));
        pods.vc.startContainer(POD, "after");
        assertEquals("still fine\n", VmPods.stdout(pods.vc.processIo(POD, "after", "")));
        assertEquals(State.RUNNING, pods.vc.statusSandbox(POD).state());
    }
}
