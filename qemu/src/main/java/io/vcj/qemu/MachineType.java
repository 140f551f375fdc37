package io.vcj.qemu;

import io.vcj.vc.hypervisor.HypervisorException;

/**
 * The machine types we build for. q35 puts virtio devices on PCI (so devices can be hot-plugged
 * into PCIe root ports); microvm has no PCI bus here and uses virtio-mmio, which QEMU announces to
 * the kernel on its command line.
 */
public enum MachineType {
    Q35("q35", "-pci", true),
    MICROVM("microvm", "-device", false);

    private final String qemuName;
    private final String virtioSuffix;
    private final boolean pci;

    MachineType(String qemuName, String virtioSuffix, boolean pci) {
        this.qemuName = qemuName;
        this.virtioSuffix = virtioSuffix;
        this.pci = pci;
    }

    public static MachineType parse(String name) {
        if (name == null || name.isBlank()) {
            return Q35;
        }
        for (MachineType type : values()) {
            if (type.qemuName.equals(name)) {
                return type;
            }
        }
        throw new HypervisorException("unsupported machine type '" + name + "' (supported: q35, microvm)");
    }

    public String qemuName() {
        return qemuName;
    }

    /** The QEMU device for a virtio device on this machine, e.g. {@code virtio-blk} → {@code virtio-blk-pci}. */
    public String virtio(String device) {
        return device + virtioSuffix;
    }

    public boolean hasPci() {
        return pci;
    }
}
