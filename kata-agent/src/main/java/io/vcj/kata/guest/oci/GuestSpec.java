package io.vcj.kata.guest.oci;

import io.vcj.kata.proto.Linux;
import io.vcj.kata.proto.LinuxNamespace;
import io.vcj.kata.proto.Mount;
import io.vcj.kata.proto.Spec;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Rewrites the spec the host sends so that runc can run it inside the VM. The host built it
 * for its own filesystem and namespaces: paths that name host objects are meaningless here.
 */
public final class GuestSpec {
    private static final Logger LOG = LogManager.getLogger(GuestSpec.class);

    private GuestSpec() {
    }

    /**
     * @param rootfs the container's root filesystem as the guest sees it
     * @param cgroupsPath a guest-local cgroup path for the container
     */
    public static Spec adapt(Spec hostSpec, Path rootfs, String cgroupsPath) {
        Spec.Builder spec = hostSpec.toBuilder();
        spec.getRootBuilder().setPath(rootfs.toAbsolutePath().toString());
        // Hook binaries live on the host.
        spec.clearHooks();
        if (spec.hasProcess()) {
            // The guest kernel has neither AppArmor nor SELinux.
            spec.getProcessBuilder().clearApparmorProfile().clearSelinuxLabel();
        }
        spec.clearMounts();
        for (Mount mount : hostSpec.getMountsList()) {
            if (isUsable(mount)) {
                spec.addMounts(mount);
            }
        }
        spec.setLinux(adaptLinux(hostSpec.getLinux(), cgroupsPath));
        return spec.build();
    }

    private static Linux adaptLinux(Linux hostLinux, String cgroupsPath) {
        Linux.Builder linux = hostLinux.toBuilder()
                .setCgroupsPath(cgroupsPath)
                .clearMountLabel()
                .clearNamespaces();
        for (LinuxNamespace ns : hostLinux.getNamespacesList()) {
            // All containers of the pod share the VM's network; other namespace paths point at
            // host processes (the pause container), so each container gets fresh ones.
            if (!ns.getType().equals("network")) {
                linux.addNamespaces(ns.toBuilder().clearPath());
            }
        }
        if (linux.hasResources() && linux.getResources().hasCPU()) {
            // CPU and memory node numbers are the host's; the VM has its own.
            linux.getResourcesBuilder().getCPUBuilder().clearCpus().clearMems();
        }
        return linux.build();
    }

    /** A bind mount of a host path the host did not share into the guest would fail the whole create. */
    private static boolean isUsable(Mount mount) {
        boolean bind = mount.getType().equals("bind") || mount.getOptionsList().contains("bind")
                || mount.getOptionsList().contains("rbind");
        if (bind && !Files.exists(Path.of(mount.getSource()))) {
            LOG.warn("dropping mount {}: source {} is not in the guest", mount.getDestination(), mount.getSource());
            return false;
        }
        return true;
    }
}
