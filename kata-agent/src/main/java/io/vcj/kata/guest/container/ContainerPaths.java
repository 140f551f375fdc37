package io.vcj.kata.guest.container;

import java.nio.file.Path;

/**
 * Where containers live in the guest.
 *
 * @param sharedDir the directory the host shares into the VM; unless the spec names another
 *                  place, a container's rootfs arrives at {@code <sharedDir>/<containerId>/rootfs}
 * @param bundlesDir guest-local OCI bundles (config.json, exec process files, pid files)
 * @param cgroupParent the cgroup under which each container gets {@code <cgroupParent>/<containerId>}
 */
public record ContainerPaths(Path sharedDir, Path bundlesDir, String cgroupParent) {
    public static final ContainerPaths GUEST =
            new ContainerPaths(Path.of("/run/vcj/shared"), Path.of("/run/vcj/bundles"), "/vcj");

    public Path rootfs(String containerId) {
        return sharedDir.resolve(containerId).resolve("rootfs");
    }

    public Path bundle(String containerId) {
        return bundlesDir.resolve(containerId);
    }

    public String cgroupsPath(String containerId) {
        return cgroupParent + "/" + containerId;
    }
}
