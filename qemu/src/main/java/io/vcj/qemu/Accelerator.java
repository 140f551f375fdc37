package io.vcj.qemu;

import io.vcj.vc.hypervisor.HypervisorException;

/** How QEMU runs guest code: hardware virtualization or the TCG emulator. */
public enum Accelerator {
    KVM("kvm", "host"),
    TCG("tcg", "max");

    private final String qemuName;
    private final String cpuModel;

    Accelerator(String qemuName, String cpuModel) {
        this.qemuName = qemuName;
        this.cpuModel = cpuModel;
    }

    public String qemuName() {
        return qemuName;
    }

    /** KVM passes the host CPU through; TCG emulates every feature it knows. */
    public String cpuModel() {
        return cpuModel;
    }

    /** {@code kvm} or {@code tcg}; {@code auto} is resolved by {@link AcceleratorProbe}, not here. */
    public static Accelerator forced(String name) {
        return switch (name) {
            case "kvm" -> KVM;
            case "tcg" -> TCG;
            default -> throw new HypervisorException("unknown accelerator '" + name + "' (supported: auto, kvm, tcg)");
        };
    }
}
