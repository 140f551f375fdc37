package io.vcj.vfio;

import io.vcj.vc.VcException;
import io.vcj.vc.hypervisor.Device;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static io.vcj.vfio.FakeHost.VFIO_PCI;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VfioPassthroughTest {

    private static final String GPU = "0000:01:00.0";
    private static final String GPU_AUDIO = "0000:01:00.1";
    private static final String ROOT_PORT = "0000:00:01.0";

    @TempDir
    Path root;
    private FakeHost fake;
    private VfioPassthrough passthrough;

    @BeforeEach
    void setUp() {
        fake = new FakeHost(root);
        passthrough = new VfioPassthrough(fake.host());
    }

    @Test
    void passesTheGpuAndItsAudioFunction() throws Exception {
        gpu(12, VFIO_PCI, VFIO_PCI);

        VfioGroup group = passthrough.resolve(fake.groupNode(12));

        assertEquals(12, group.number());
        assertEquals(List.of(
                new PciFunction(GPU, "0x10de", "0x1eb8", "0x030200", Optional.of(VFIO_PCI)),
                new PciFunction(GPU_AUDIO, "0x10de", "0x10f8", "0x040300", Optional.of(VFIO_PCI))), group.functions());
        assertEquals(List.of(new Device.Vfio("vfio-0000_01_00.0", GPU), new Device.Vfio("vfio-0000_01_00.1", GPU_AUDIO)),
                group.devices());
    }

    @Test
    void leavesOutTheBridgeInTheGroup() throws Exception {
        fake.function(3, ROOT_PORT, "0x8086", "0x1901", "0x060400", "pcieport")
                .function(3, GPU, "0x10de", "0x1eb8", "0x030200", VFIO_PCI);

        VfioGroup group = passthrough.resolve(fake.groupNode(3));

        assertEquals(List.of(new Device.Vfio("vfio-0000_01_00.0", GPU)), group.devices());
    }

    @Test
    void refusesAGroupOfBridgesOnly() throws Exception {
        fake.function(3, ROOT_PORT, "0x8086", "0x1901", "0x060400", "pcieport");

        var e = assertThrows(VcException.FailedPrecondition.class, () -> passthrough.resolve(fake.groupNode(3)));
        assertEquals("IOMMU group 3 holds only bridges: nothing to pass through", e.getMessage());
    }

    @Test
    void namesTheFunctionBoundToAnotherDriverAndHowToRebindIt() throws Exception {
        gpu(12, "nvidia", VFIO_PCI);

        var e = assertThrows(VcException.FailedPrecondition.class, () -> passthrough.resolve(fake.groupNode(12)));
        Path device = fake.sys("bus/pci/devices").resolve(GPU);
        assertEquals(GPU + " (IOMMU group 12) is bound to nvidia, not vfio-pci: bind it with 'echo vfio-pci > "
                + device.resolve("driver_override") + "; echo " + GPU + " > " + device.resolve("driver/unbind")
                + "; echo " + GPU + " > " + fake.sys("bus/pci/drivers_probe") + "'", e.getMessage());
    }

    @Test
    void namesTheUnboundFunction() throws Exception {
        gpu(12, VFIO_PCI, null);

        var e = assertThrows(VcException.FailedPrecondition.class, () -> passthrough.resolve(fake.groupNode(12)));
        assertTrue(e.getMessage().startsWith(GPU_AUDIO + " (IOMMU group 12) is not bound to any driver: bind it with"),
                e.getMessage());
        assertFalse(e.getMessage().contains("unbind"), e.getMessage());
    }

    @Test
    void saysWhichGroupIsMissing() throws Exception {
        gpu(12, VFIO_PCI, VFIO_PCI);
        Path node = fake.groupNode(13);

        var e = assertThrows(VcException.InvalidArgument.class, () -> passthrough.resolve(node));
        assertEquals("IOMMU group 13 does not exist (no " + fake.sys("kernel/iommu_groups/13/devices") + ")",
                e.getMessage());
    }

    @Test
    void saysTheIommuIsOffWhenThereAreNoGroups() throws Exception {
        Path node = fake.groupNode(12);
        assertIommuOff(node);

        Files.createDirectories(fake.sys("kernel/iommu_groups"));
        assertIommuOff(node);
    }

    @Test
    void refusesANodeThatIsNotACharacterDevice() throws Exception {
        gpu(12, VFIO_PCI, VFIO_PCI);
        Path node = Files.createDirectories(fake.devVfio()).resolve("12");
        Files.writeString(node, "");

        var e = assertThrows(VcException.InvalidArgument.class, () -> passthrough.resolve(node));
        assertEquals("VFIO device " + node + " is not a character device", e.getMessage());
    }

    @Test
    void refusesAMissingNode() throws Exception {
        gpu(12, VFIO_PCI, VFIO_PCI);
        Path node = fake.devVfio().resolve("12");

        var e = assertThrows(VcException.InvalidArgument.class, () -> passthrough.resolve(node));
        assertEquals("VFIO device " + node + " does not exist", e.getMessage());
    }

    @Test
    void findsTheGroupOfADeviceCdev() throws Exception {
        gpu(12, VFIO_PCI, VFIO_PCI);

        VfioGroup group = passthrough.resolve(fake.deviceNode("vfio0", GPU_AUDIO));

        assertEquals(12, group.number());
        assertEquals(List.of(GPU, GPU_AUDIO), group.functions().stream().map(PciFunction::bdf).toList());
    }

    @Test
    void refusesTheVfioContainerNode() throws Exception {
        gpu(12, VFIO_PCI, VFIO_PCI);
        Path container = fake.devVfio().resolve("vfio");

        assertFalse(passthrough.isVfioDevice(container));
        var e = assertThrows(VcException.InvalidArgument.class, () -> passthrough.resolve(container));
        assertTrue(e.getMessage().startsWith(container + " is not a VFIO device"), e.getMessage());
    }

    private void gpu(int group, String gpuDriver, String audioDriver) throws Exception {
        fake.function(group, GPU, "0x10de", "0x1eb8", "0x030200", gpuDriver)
                .function(group, GPU_AUDIO, "0x10de", "0x10f8", "0x040300", audioDriver);
    }

    private void assertIommuOff(Path node) {
        var e = assertThrows(VcException.FailedPrecondition.class, () -> passthrough.resolve(node));
        assertTrue(e.getMessage().startsWith("IOMMU is not enabled"), e.getMessage());
        assertTrue(e.getMessage().endsWith(": boot the host with intel_iommu=on/amd_iommu=on"), e.getMessage());
    }
}
