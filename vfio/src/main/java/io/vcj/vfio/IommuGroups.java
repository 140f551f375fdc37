package io.vcj.vfio;

import io.vcj.vc.VcException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The host's IOMMU groups, from {@code /sys/kernel/iommu_groups}. */
final class IommuGroups {

    private final HostFs host;

    IommuGroups(HostFs host) {
        this.host = host;
    }

    /** Without an IOMMU the kernel makes no groups at all, so nothing can be passed through. */
    void requireIommu() {
        Path groups = host.iommuGroups();
        if (!Files.isDirectory(groups) || list(groups).isEmpty()) {
            throw new VcException.FailedPrecondition("IOMMU is not enabled (" + groups
                    + " is missing or empty): boot the host with intel_iommu=on/amd_iommu=on");
        }
    }

    /** The PCI functions of group {@code number}, in BDF order. */
    List<PciFunction> functions(int number) {
        Path devices = host.iommuGroups().resolve(Integer.toString(number)).resolve("devices");
        if (!Files.isDirectory(devices)) {
            throw new VcException.InvalidArgument("IOMMU group " + number + " does not exist (no " + devices + ")");
        }
        return list(devices).stream().sorted().map(PciFunction::read).toList();
    }

    private static List<Path> list(Path dir) {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.toList();
        } catch (IOException e) {
            throw new VcException.FailedPrecondition("cannot list " + dir + ": " + e);
        }
    }
}
