package io.vcj.vfio;

import io.vcj.vc.VcException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** This machine's own sysfs, so the fake trees' layout is checked against the kernel's. */
class RealHostTest {

    private static final HostFs HOST = HostFs.real();

    @Test
    void readsEveryPciFunctionOfThisHost() throws IOException {
        List<Path> devices = list(Path.of("/sys/bus/pci/devices"));
        assumeTrue(!devices.isEmpty(), "no PCI bus");

        for (Path dir : devices) {
            PciFunction function = PciFunction.read(dir);
            assertTrue(function.bdf().matches("[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\\.[0-7]"), function.toString());
            assertTrue(function.vendor().matches("0x[0-9a-f]{4}"), function.toString());
            assertEquals(Files.exists(dir.resolve("driver")), function.driver().isPresent(), function.toString());
            function.driver().ifPresent(driver -> assertTrue(Files.isDirectory(Path.of("/sys/bus/pci/drivers", driver)),
                    function + ": no such driver"));
        }
    }

    @Test
    void aHostWithoutIommuSaysSo() throws IOException {
        Path groups = Path.of("/sys/kernel/iommu_groups");
        assumeTrue(!Files.isDirectory(groups) || list(groups).isEmpty(), "this host has an IOMMU");

        var e = assertThrows(VcException.FailedPrecondition.class,
                () -> new VfioPassthrough(HOST).resolve(Path.of("/dev/vfio/0")));
        assertTrue(e.getMessage().endsWith("boot the host with intel_iommu=on/amd_iommu=on"), e.getMessage());
    }

    private static List<Path> list(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.toList();
        }
    }
}
