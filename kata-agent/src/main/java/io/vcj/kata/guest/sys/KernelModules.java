package io.vcj.kata.guest.sys;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Loads kernel modules on demand. The guest's init loads only the drivers of the devices present at
 * boot, so a disk hot-plugged later needs virtio_blk and its filesystem's module loaded here, and a
 * hot-plugged NIC virtio_net.
 */
@FunctionalInterface
public interface KernelModules {

    /** Best effort: a module that will not load is logged, and what needed it fails naming itself. */
    void load(String... names);

    KernelModules NONE = names -> { };

    /** busybox modprobe, which reads the modules.dep build-guest writes; modules loaded already are no-ops. */
    static KernelModules modprobe() {
        Logger log = LogManager.getLogger(KernelModules.class);
        return names -> {
            var command = new ArrayList<>(List.of("modprobe", "-a"));
            command.addAll(List.of(names));
            try {
                Command.run(command, null);
            } catch (IOException e) {
                log.warn("{} failed: {}", String.join(" ", command), e.getMessage());
            }
        };
    }
}
