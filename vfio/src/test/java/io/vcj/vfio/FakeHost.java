package io.vcj.vfio;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A fake sysfs and /dev/vfio in a temp dir, linked the way the kernel links them: group entries and
 * {@code bus/pci/devices} point into {@code devices/}, a device's {@code driver} into
 * {@code bus/pci/drivers}, its {@code iommu_group} back to the group.
 */
public final class FakeHost {

    public static final String VFIO_PCI = "vfio-pci";

    private final Path root;

    public FakeHost(Path root) {
        this.root = root;
    }

    public HostFs host() {
        return new HostFs(root);
    }

    /** A PCI function in IOMMU group {@code group}; {@code driver} null leaves it unbound. */
    public FakeHost function(int group, String bdf, String vendor, String device, String pciClass, String driver)
            throws IOException {
        Path dir = Files.createDirectories(sys("devices/pci0000:00").resolve(bdf));
        Files.writeString(dir.resolve("vendor"), vendor + "\n");
        Files.writeString(dir.resolve("device"), device + "\n");
        Files.writeString(dir.resolve("class"), pciClass + "\n");
        if (driver != null) {
            link(dir.resolve("driver"), Files.createDirectories(sys("bus/pci/drivers").resolve(driver)));
        }
        Path groupDir = Files.createDirectories(sys("kernel/iommu_groups").resolve(Integer.toString(group)));
        link(dir.resolve("iommu_group"), groupDir);
        link(Files.createDirectories(groupDir.resolve("devices")).resolve(bdf), dir);
        link(Files.createDirectories(sys("bus/pci/devices")).resolve(bdf), dir);
        return this;
    }

    /** {@code dev/vfio/<group>}, a character device as on a real host (a link to /dev/null). */
    public Path groupNode(int group) throws IOException {
        return characterDevice(devVfio().resolve(Integer.toString(group)));
    }

    /** {@code dev/vfio/devices/<name>}, the cdev of the function {@code bdf}. */
    Path deviceNode(String name, String bdf) throws IOException {
        link(Files.createDirectories(sys("class/vfio-dev").resolve(name)).resolve("device"),
                sys("devices/pci0000:00").resolve(bdf));
        return characterDevice(devVfio().resolve("devices").resolve(name));
    }

    Path devVfio() {
        return root.resolve("dev/vfio");
    }

    Path sys(String path) {
        return root.resolve("sys").resolve(path);
    }

    private static Path characterDevice(Path node) throws IOException {
        Files.createDirectories(node.getParent());
        return Files.createSymbolicLink(node, Path.of("/dev/null"));
    }

    private static void link(Path link, Path target) throws IOException {
        Files.createSymbolicLink(link, link.getParent().relativize(target));
    }
}
