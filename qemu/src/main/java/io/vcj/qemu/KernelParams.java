package io.vcj.qemu;

import io.vcj.vc.hypervisor.HypervisorConfig;

import java.util.ArrayList;
import java.util.List;

/**
 * The guest kernel command line: our defaults first, then the config's, so the config wins where
 * the kernel takes the last value of a repeated parameter.
 */
final class KernelParams {

    /**
     * panic=1 plus -no-reboot turns a guest panic into QEMU exiting instead of a hang. No
     * no_timer_check: a microvm guest under TCG then hangs calibrating its TSC.
     */
    static final List<String> DEFAULTS = List.of(
            "console=ttyS0", "panic=1", "reboot=k", "noreplace-smp", "cryptomgr.notests",
            "i8042.noaux", "i8042.nomux", "i8042.nopnp", "i8042.dumbkbd");

    /**
     * microvm has neither HPET nor an ACPI PM timer, so the guest calibrates its TSC against the
     * PIT only; under TCG on a busy host that calibration fails and the kernel hangs. A given early
     * frequency skips it; the clocksource watchdog sorts out the rest.
     */
    static final String MICROVM_TCG_TSC = "tsc_early_khz=2000000";

    /**
     * Debian's guest kernel zeroes every page it allocates (init_on_alloc); under TCG that is
     * emulated code, on the network path too: 8.5% of the guest's time receiving TCP in
     * scripts/bench-net (perf inside the guest), zeroing rx buffers the device then overwrites.
     * Without it, QEMU spent 12-16% less CPU per GB both ways (back-to-back pods). The VM, not the
     * guest kernel's hardening, isolates the pod; a config's init_on_alloc=1 comes later and wins.
     */
    static final String TCG_NO_ALLOC_ZEROING = "init_on_alloc=0";

    /** scripts/build-guest's ext4 image is an unpartitioned filesystem. */
    static final List<String> ROOT_IMAGE = List.of("root=/dev/vda", "rootfstype=ext4", "ro");

    private KernelParams() {
    }

    static String of(HypervisorConfig config, MachineType machine, Accelerator accelerator) {
        List<String> params = new ArrayList<>(DEFAULTS);
        if (machine == MachineType.MICROVM && accelerator == Accelerator.TCG) {
            params.add(MICROVM_TCG_TSC);
        }
        if (accelerator == Accelerator.TCG) {
            params.add(TCG_NO_ALLOC_ZEROING);
        }
        params.add(config.debug() ? "debug" : "quiet");
        if (config.initrdPath() == null && config.imagePath() != null) {
            params.addAll(ROOT_IMAGE);
        }
        params.addAll(config.kernelParams());
        return String.join(" ", params);
    }
}
