package io.vcj.vc.config;

import io.vcj.vc.VcException;

import java.nio.file.Path;

/**
 * A host device the container needs. Block devices ({@code b}) are hot-plugged into the VM and appear
 * at {@code containerPath} in the container.
 *
 * @param devType {@code b}, {@code c}, {@code u} or {@code p}, as in mknod(1)
 */
public record DeviceInfo(Path hostPath, String containerPath, String devType, long major, long minor,
                         int fileMode, int uid, int gid) {

    public DeviceInfo {
        if (hostPath == null || containerPath == null || !containerPath.startsWith("/")) {
            throw new VcException.InvalidArgument("device needs a host path and an absolute container path, got "
                    + hostPath + " -> " + containerPath);
        }
        if (devType == null || !java.util.Set.of("b", "c", "u", "p").contains(devType)) {
            throw new VcException.InvalidArgument("device " + hostPath + " has type '" + devType
                    + "', expected one of b, c, u, p");
        }
    }

    public boolean isBlock() {
        return devType.equals("b");
    }
}
