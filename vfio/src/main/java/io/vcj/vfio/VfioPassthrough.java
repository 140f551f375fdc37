package io.vcj.vfio;

import io.vcj.vc.VcException;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Optional;

/**
 * Finds what to pass to a VM for a container's VFIO device node: every function of its IOMMU group,
 * because the kernel hands a group to one user as a whole.
 */
public final class VfioPassthrough {

    private static final Logger LOG = LogManager.getLogger(VfioPassthrough.class);
    private static final String VFIO_PCI = "vfio-pci";

    private final HostFs host;
    private final IommuGroups groups;

    public VfioPassthrough(HostFs host) {
        this.host = host;
        this.groups = new IommuGroups(host);
    }

    /**
     * @param devicePath {@code /dev/vfio/N} or {@code /dev/vfio/devices/vfioX}
     * @throws VcException.FailedPrecondition when the host is not ready: no IOMMU, a function bound to
     *                                        another driver or to none
     * @throws VcException.InvalidArgument    when the path is not a VFIO device node or its group does not exist
     */
    public VfioGroup resolve(Path devicePath) {
        groups.requireIommu();
        var node = new VfioDeviceNode(host, devicePath);
        int group = node.iommuGroup();
        var passed = new ArrayList<PciFunction>();
        for (PciFunction function : groups.functions(group)) {
            if (function.isBridge()) {
                LOG.info("IOMMU group {}: not passing bridge {} (class {})", group, function.bdf(), function.pciClass());
            } else {
                requireVfioPci(function, group);
                passed.add(function);
            }
        }
        if (passed.isEmpty()) {
            throw new VcException.FailedPrecondition("IOMMU group " + group + " holds only bridges: nothing to pass through");
        }
        // Checked last: the node exists as soon as one function is bound, and a missing binding says more.
        node.requireCharacterDevice();
        return new VfioGroup(group, passed);
    }

    /** Whether a container device is one {@link #resolve} takes, rather than an ordinary device node. */
    public boolean isVfioDevice(Path devicePath) {
        return VfioDeviceNode.isVfioDevice(host, devicePath);
    }

    private void requireVfioPci(PciFunction function, int group) {
        Optional<String> driver = function.driver();
        if (driver.equals(Optional.of(VFIO_PCI))) {
            return;
        }
        String bdf = function.bdf();
        Path device = host.pciDevice(bdf);
        String bind = "echo " + VFIO_PCI + " > " + device.resolve("driver_override")
                + (driver.isPresent() ? "; echo " + bdf + " > " + device.resolve("driver/unbind") : "")
                + "; echo " + bdf + " > " + host.pciDriversProbe();
        String bound = driver.map(name -> "is bound to " + name + ", not " + VFIO_PCI)
                .orElse("is not bound to any driver");
        throw new VcException.FailedPrecondition(bdf + " (IOMMU group " + group + ") " + bound
                + ": bind it with '" + bind + "'");
    }
}
