package io.vcj.vfio;

import io.vcj.vc.VcException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * One PCI function as sysfs shows it.
 *
 * @param vendor   e.g. {@code 0x10de}
 * @param device   e.g. {@code 0x1eb8}
 * @param pciClass class, subclass and programming interface, e.g. {@code 0x030000}
 * @param driver   the bound driver's name, empty when none is bound
 */
public record PciFunction(String bdf, String vendor, String device, String pciClass, Optional<String> driver) {

    private static final int HOST_BRIDGE = 0x0600;
    private static final int PCI_BRIDGE = 0x0604;

    /** Reads the function whose sysfs directory is {@code deviceDir}; its name is the BDF. */
    static PciFunction read(Path deviceDir) {
        return new PciFunction(deviceDir.getFileName().toString(), attribute(deviceDir, "vendor"),
                attribute(deviceDir, "device"), attribute(deviceDir, "class"), driverOf(deviceDir));
    }

    /** Bridges share IOMMU groups with the endpoints behind them but cannot be passed through (Kata skips them too). */
    public boolean isBridge() {
        int classAndSubclass = Integer.decode(pciClass) >> 8;
        return classAndSubclass == HOST_BRIDGE || classAndSubclass == PCI_BRIDGE;
    }

    private static String attribute(Path deviceDir, String name) {
        try {
            return Files.readString(deviceDir.resolve(name)).strip();
        } catch (IOException e) {
            throw new VcException.FailedPrecondition("cannot read PCI " + name + " of " + deviceDir.getFileName()
                    + " from " + deviceDir.resolve(name) + ": " + e);
        }
    }

    private static Optional<String> driverOf(Path deviceDir) {
        Path link = deviceDir.resolve("driver");
        if (!Files.isSymbolicLink(link)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Files.readSymbolicLink(link).getFileName().toString());
        } catch (IOException e) {
            throw new VcException.FailedPrecondition("cannot read the driver of PCI device "
                    + deviceDir.getFileName() + " from " + link + ": " + e);
        }
    }
}
