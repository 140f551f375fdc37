package io.vcj.vfio;

import java.nio.file.Path;

/**
 * The parts of the host file system VFIO passthrough reads: sysfs and the {@code /dev/vfio} nodes.
 * Tests root it in a temp dir holding a fake {@code sys/} and {@code dev/}.
 */
public record HostFs(Path root) {

    public static HostFs real() {
        return new HostFs(Path.of("/"));
    }

    Path iommuGroups() {
        return root.resolve("sys/kernel/iommu_groups");
    }

    Path pciDevice(String bdf) {
        return root.resolve("sys/bus/pci/devices").resolve(bdf);
    }

    Path pciDriversProbe() {
        return root.resolve("sys/bus/pci/drivers_probe");
    }

    /** A VFIO device cdev's class directory, e.g. {@code vfio-dev/vfio0} for {@code /dev/vfio/devices/vfio0}. */
    Path vfioDevClass(String name) {
        return root.resolve("sys/class/vfio-dev").resolve(name);
    }

    Path devVfio() {
        return root.resolve("dev/vfio");
    }
}
