package io.vcj.shim.task;

import io.vcj.vc.config.Mount;
import io.vcj.vc.config.Rootfs;
import io.vcj.vc.host.BlockDevices;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A rootfs containerd hands as one mount of a block device (the devmapper snapshotter's, or any
 * filesystem on a disk): the VM gets the disk and mounts it itself. The host must then not mount
 * it too, as two kernels writing one filesystem corrupt it.
 */
final class BlockDeviceRootfs {

    private BlockDeviceRootfs() {
    }

    static Optional<Rootfs.BlockDevice> of(List<Mount> mounts) {
        if (mounts.size() != 1) {
            return Optional.empty();
        }
        Mount mount = mounts.getFirst();
        if (mount.source() == null || mount.type().equals("bind") || !BlockDevices.isBlockDevice(Path.of(mount.source()))) {
            return Optional.empty();
        }
        return Optional.of(new Rootfs.BlockDevice(Path.of(mount.source()), mount.type(), mount.options()));
    }
}
