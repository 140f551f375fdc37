package io.vcj.vfio;

import io.vcj.vc.VcException;
import io.vcj.vc.config.DeviceInfo;
import io.vcj.vc.hypervisor.Device;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static io.vcj.vfio.FakeHost.VFIO_PCI;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ContainerVfioDevicesTest {

    @TempDir
    Path root;
    private FakeHost fake;
    private ContainerVfioDevices vfio;

    @BeforeEach
    void setUp() {
        fake = new FakeHost(root);
        vfio = new ContainerVfioDevices(fake.host());
    }

    @Test
    void passesEachGroupOnceAndIgnoresOtherDevices() throws Exception {
        fake.function(12, "0000:01:00.0", "0x10de", "0x1eb8", "0x030200", VFIO_PCI)
                .function(13, "0000:02:00.0", "0x15b3", "0x1018", "0x020000", VFIO_PCI);

        List<Device.Vfio> devices = vfio.of(List.of(
                device(fake.groupNode(13)),
                device(fake.devVfio().resolve("vfio")),
                device(Path.of("/dev/null")),
                device(fake.groupNode(12)),
                device(fake.deviceNode("vfio0", "0000:02:00.0"))));

        assertEquals(List.of(new Device.Vfio("vfio-0000_02_00.0", "0000:02:00.0"),
                new Device.Vfio("vfio-0000_01_00.0", "0000:01:00.0")), devices);
    }

    @Test
    void aContainerWithoutVfioNodesNeedsNoIommu() {
        assertEquals(List.of(), vfio.of(List.of(device(Path.of("/dev/null")))));
    }

    @Test
    void aVfioNodeOnAHostWithoutIommuIsRefused() throws Exception {
        var e = assertThrows(VcException.FailedPrecondition.class, () -> vfio.of(List.of(device(fake.groupNode(12)))));
        assertTrue(e.getMessage().startsWith("IOMMU is not enabled"), e.getMessage());
    }

    private static DeviceInfo device(Path hostPath) {
        return new DeviceInfo(hostPath, "/dev/" + hostPath.getFileName(), "c", 0, 0, 0666, 0, 0);
    }
}
