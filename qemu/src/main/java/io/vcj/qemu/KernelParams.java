package io.vcj.qemu;

import io.vcj.vc.hypervisor.HypervisorConfig;

import java.util.ArrayList;
import java.util.List;

/**
 * The guest kernel command line: our defaults first, then the config's, so the config wins where
 * the kernel takes the last value of a repeated parameter.
 */
final class KernelParams {

    /** panic=1 plus -no-reboot turns a guest panic into QEMU exiting instead of a hang. */
    static final List<String> DEFAULTS = List.of(
            "console=ttyS0", "panic=1", "reboot=k", "no_timer_check", "noreplace-smp",
            "i8042.noaux", "i8042.nomux", "i8042.nopnp", "i8042.dumbkbd");

    /** scripts/build-guest's ext4 image is an unpartitioned filesystem. */
    static final List<String> ROOT_IMAGE = List.of("root=/dev/vda", "rootfstype=ext4", "ro");

    private KernelParams() {
    }

    static String of(HypervisorConfig config) {
        List<String> params = new ArrayList<>(DEFAULTS);
        params.add(config.debug() ? "debug" : "quiet");
        if (config.initrdPath() == null && config.imagePath() != null) {
            params.addAll(ROOT_IMAGE);
        }
        params.addAll(config.kernelParams());
        return String.join(" ", params);
    }
}
