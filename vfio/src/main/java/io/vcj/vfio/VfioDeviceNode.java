package io.vcj.vfio;

import io.vcj.vc.VcException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A VFIO device node a container asks for: a group node {@code /dev/vfio/N} (N is the IOMMU group)
 * or a device cdev {@code /dev/vfio/devices/vfioX}, whose group sysfs knows.
 */
final class VfioDeviceNode {

    private static final int FILE_TYPE_MASK = 0170000;
    private static final int CHARACTER_DEVICE = 0020000;

    private final HostFs host;
    private final Path path;

    VfioDeviceNode(HostFs host, Path path) {
        this.host = host;
        this.path = path;
    }

    /**
     * Whether {@code path} names a VFIO group or device node. The container node {@code /dev/vfio/vfio}
     * is not one: it passes no device, and the guest has its own.
     */
    static boolean isVfioDevice(HostFs host, Path path) {
        Path parent = path.getParent();
        if (parent == null) {
            return false;
        }
        String name = path.getFileName().toString();
        return (host.devVfio().equals(parent) && name.matches("[0-9]{1,9}"))
                || (host.devVfio().resolve("devices").equals(parent) && name.matches("vfio[0-9]{1,9}"));
    }

    int iommuGroup() {
        if (!isVfioDevice(host, path)) {
            throw new VcException.InvalidArgument(path + " is not a VFIO device: expected "
                    + host.devVfio().resolve("<IOMMU group>") + " or " + host.devVfio().resolve("devices/vfio<N>"));
        }
        String name = path.getFileName().toString();
        return host.devVfio().equals(path.getParent()) ? Integer.parseInt(name) : groupOfCdev(name);
    }

    void requireCharacterDevice() {
        if (!Files.exists(path)) {
            throw new VcException.InvalidArgument("VFIO device " + path + " does not exist");
        }
        int mode;
        try {
            mode = (Integer) Files.getAttribute(path, "unix:mode");
        } catch (IOException e) {
            throw new VcException.InvalidArgument("VFIO device " + path + " cannot be read: " + e);
        }
        if ((mode & FILE_TYPE_MASK) != CHARACTER_DEVICE) {
            throw new VcException.InvalidArgument("VFIO device " + path + " is not a character device");
        }
    }

    // The cdev's class directory links to its PCI device, and that to its IOMMU group.
    private int groupOfCdev(String name) {
        Path group = host.vfioDevClass(name).resolve("device/iommu_group");
        try {
            return Integer.parseInt(Files.readSymbolicLink(group).getFileName().toString());
        } catch (IOException e) {
            throw new VcException.InvalidArgument("cannot find the IOMMU group of VFIO device " + path
                    + " (" + group + "): " + e);
        }
    }
}
