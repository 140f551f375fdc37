package io.vcj.vc.agent;

import java.util.List;

/**
 * A filesystem the agent mounts in the guest before using it.
 *
 * @param driver     how to find {@code source}: {@code 9p} or {@code virtio-fs} (a share tag),
 *                   {@code blk} (a PCI path from the hypervisor's hot-plug), {@code local}
 * @param source     the tag, PCI path or guest path
 * @param fsType     filesystem type to mount, e.g. {@code 9p}, {@code virtiofs}, {@code ext4}
 * @param mountPoint absolute guest path to mount on
 */
public record Storage(String driver, String source, String fsType, List<String> options, String mountPoint) {
    public Storage {
        options = List.copyOf(options == null ? List.of() : options);
    }
}
