package io.vcj.vc.config;

import io.vcj.vc.VcException;

import java.nio.file.Path;
import java.util.List;

/** Where a container's root filesystem comes from on the host. */
public sealed interface Rootfs {

    /** An already prepared directory (an OCI bundle's rootfs), bind-mounted into the shared directory. */
    record HostPath(Path path) implements Rootfs {
        public HostPath {
            if (path == null || !path.isAbsolute()) {
                throw new VcException.InvalidArgument("rootfs path must be absolute, got " + path);
            }
        }
    }

    /** A block device or image file holding a filesystem, hot-plugged into the VM and mounted there. */
    record BlockDevice(Path device, String fsType, List<String> options) implements Rootfs {
        public BlockDevice {
            options = List.copyOf(options == null ? List.of() : options);
            if (device == null || fsType == null || fsType.isEmpty()) {
                throw new VcException.InvalidArgument("block rootfs needs a device and a filesystem type");
            }
        }
    }

    /**
     * Mounts to stack on the host (as containerd hands them, e.g. one overlay), mounted onto the
     * container's directory in the shared directory.
     */
    record Mounts(List<Mount> mounts) implements Rootfs {
        public Mounts {
            mounts = List.copyOf(mounts == null ? List.of() : mounts);
            if (mounts.isEmpty()) {
                throw new VcException.InvalidArgument("rootfs mount list is empty");
            }
        }
    }
}
