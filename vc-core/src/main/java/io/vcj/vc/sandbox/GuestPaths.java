package io.vcj.vc.sandbox;

import io.vcj.vc.agent.Storage;
import io.vcj.vc.config.SandboxConfig;
import io.vcj.vc.config.Volume;
import io.vcj.vc.hypervisor.Device;

import java.nio.file.Path;
import java.util.List;

/**
 * Where things live on the host (below a sandbox's run directory) and in the guest. Host directory
 * {@code <runDir>/shared} is shared with the VM under tag {@value #SHARED_TAG} and mounted by the
 * agent at {@value #GUEST_SHARED}, so {@code <runDir>/shared/X} is {@code /run/vcj/shared/X} inside.
 */
final class GuestPaths {
    static final String SHARED_TAG = "vcjshared";
    static final String GUEST_SHARED = "/run/vcj/shared";

    private GuestPaths() {
    }

    static Path hostShared(Path runDir) {
        return runDir.resolve("shared");
    }

    static Path hostContainerDir(Path runDir, String containerId) {
        return hostShared(runDir).resolve(containerId);
    }

    static Path hostRootfs(Path runDir, String containerId) {
        return hostContainerDir(runDir, containerId).resolve("rootfs");
    }

    static String guestRootfs(String containerId) {
        return GUEST_SHARED + "/" + containerId + "/rootfs";
    }

    /** Mount point of a block-device rootfs: not below the shared directory, the guest mounts it itself. */
    static String guestBlockRootfs(String containerId) {
        return "/run/vcj/containers/" + containerId + "/rootfs";
    }

    /** Where the agent mounts a container's block volume, the source of its bind into the container. */
    static String guestBlockVolume(String containerId, int index) {
        return "/run/vcj/containers/" + containerId + "/mounts/" + index;
    }

    static Path hostMountSource(Path runDir, String containerId, int index) {
        return hostContainerDir(runDir, containerId).resolve("mounts").resolve(Integer.toString(index));
    }

    static String guestMountSource(String containerId, int index) {
        return GUEST_SHARED + "/" + containerId + "/mounts/" + index;
    }

    static String guestVolume(String tag) {
        return "/run/vcj/volumes/" + tag;
    }

    /** The sandbox's shared directory, {@code hostPath} on the host. */
    static Device.SharedDirectory sharedDirectory(SandboxConfig config, Path hostPath) {
        return new Device.SharedDirectory(SHARED_TAG, SHARED_TAG, hostPath, sharedFs(config.hypervisorConfig().sharedFs()), false);
    }

    static Device.SharedDirectory volumeDirectory(SandboxConfig config, Volume volume) {
        return new Device.SharedDirectory("volume-" + volume.mountTag(), volume.mountTag(), volume.hostPath(),
                sharedFs(config.hypervisorConfig().sharedFs()), false);
    }

    static Device.SharedFs sharedFs(Device.SharedFs configured) {
        return configured == null ? Device.SharedFs.VIRTIO_9P : configured;
    }

    /** What the agent mounts to see a shared directory. */
    static Storage sharedStorage(Device.SharedFs fs, String tag, String mountPoint) {
        return switch (fs) {
            case VIRTIO_9P -> new Storage("9p", tag, "9p",
                    List.of("trans=virtio", "version=9p2000.L", "cache=mmap", "msize=512000"), mountPoint);
            case VIRTIO_FS -> new Storage("virtio-fs", tag, "virtiofs", List.of(), mountPoint);
        };
    }
}
