package io.vcj.qemu;

import io.vcj.vc.hypervisor.HypervisorException;

/** How QEMU runs guest code: hardware virtualization or the TCG emulator. */
public enum Accelerator {
    KVM("kvm", "host"),
    TCG("tcg", "qemu64");

    private final String qemuName;
    private final String cpuModel;

    Accelerator(String qemuName, String cpuModel) {
        this.qemuName = qemuName;
        this.cpuModel = cpuModel;
    }

    public String qemuName() {
        return qemuName;
    }

    /**
     * KVM passes the host CPU through. TCG keeps QEMU's baseline model: emulating {@code max}
     * cost more QEMU CPU time per guest boot (scripts/bench-boot, JVM payload: 3.71 s vs 3.58 s).
     */
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
