package io.vcj.vc.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vcj.vc.agent.GuestDevice;
import io.vcj.vc.agent.Storage;
import io.vcj.vc.config.ContainerConfig;
import io.vcj.vc.config.DeviceInfo;
import io.vcj.vc.config.Mount;
import io.vcj.vc.config.OciSpecs;
import io.vcj.vc.config.Rootfs;
import io.vcj.vc.device.VfioDevices;
import io.vcj.vc.host.BlockDevices;
import io.vcj.vc.host.HostMounter;
import io.vcj.vc.host.RunDirCleaner;
import io.vcj.vc.hypervisor.Device;
import io.vcj.vc.hypervisor.Hypervisor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The host side of a container: its rootfs and bind mounts put where the guest sees them, its block
 * devices (rootfs, volumes, devices) and VFIO functions hot-plugged, its spec rewritten for the
 * guest; and releasing all that.
 */
final class ContainerSetup {
    private static final List<String> HOST_ONLY = List.of("/proc", "/sys", "/dev");

    private final HostMounter mounter;
    private final RunDirCleaner cleaner;
    private final VfioDevices vfio;

    ContainerSetup(HostMounter mounter, VfioDevices vfio) {
        this.mounter = mounter;
        this.cleaner = new RunDirCleaner(mounter);
        this.vfio = vfio;
    }

    /** What the agent needs to create the container, and what to release when it goes. */
    record Prepared(String guestRootfs, ObjectNode guestSpec, List<Storage> storages, List<GuestDevice> devices,
                    List<Device> hotplugged) {
    }

    /** Sets the container up on the host; every step registers its undo with {@code rollback}. */
    Prepared prepare(ContainerConfig config, String hostname, Path runDir, Hypervisor hypervisor, Rollback rollback) {
        String id = config.id();
        var hotplugged = new ArrayList<Device>();
        var storages = new ArrayList<Storage>();
        // Everything mounted for the container is below this directory: removing it undoes them all.
        Path containerDir = createDirectories(GuestPaths.hostContainerDir(runDir, id));
        rollback.onFailure("remove " + containerDir, () -> cleaner.remove(containerDir));

        String guestRootfs = switch (config.rootfs()) {
            case Rootfs.HostPath(Path path) -> {
                Path target = createDirectories(GuestPaths.hostRootfs(runDir, id));
                mounter.bind(path, target, false);
                yield GuestPaths.guestRootfs(id);
            }
            case Rootfs.Mounts(List<Mount> mounts) -> {
                Path target = createDirectories(GuestPaths.hostRootfs(runDir, id));
                mounts.forEach(mount -> mounter.mount(mount, target));
                yield GuestPaths.guestRootfs(id);
            }
            case Rootfs.BlockDevice(Path device, String fsType, List<String> options) -> {
                var block = new Device.Block("rootfs-" + id, device, config.readonlyRootfs());
                String address = hotplug(hypervisor, block, hotplugged, rollback);
                String mountPoint = GuestPaths.guestBlockRootfs(id);
                storages.add(new Storage("blk", address, fsType, options, mountPoint));
                yield mountPoint;
            }
        };

        ObjectNode hostSpec = config.ociSpec() != null ? config.ociSpec() : OciSpecs.build(config, hostname);
        Map<Integer, String> mountSources = shareBindMounts(id, hostSpec, runDir);
        Map<Integer, String> blockVolumes = plugBlockVolumes(id, hostSpec, hypervisor, hotplugged, storages, rollback);
        var devices = new ArrayList<GuestDevice>();
        int index = 0;
        for (DeviceInfo device : config.devices()) {
            if (device.isBlock()) {
                var block = new Device.Block("dev-" + id + "-" + index++, device.hostPath(), false);
                devices.add(new GuestDevice("blk", hotplug(hypervisor, block, hotplugged, rollback),
                        device.containerPath()));
            }
        }
        for (Device.Vfio function : vfio.of(config.devices())) {
            hotplug(hypervisor, function, hotplugged, rollback);
        }
        ObjectNode guestSpec = GuestSpec.of(hostSpec, guestRootfs, config.readonlyRootfs(), mountSources, blockVolumes);
        return new Prepared(guestRootfs, guestSpec, storages, devices, hotplugged);
    }

    /** Undoes {@link #prepare}; {@code hypervisor} is null when the VM is gone (nothing to unplug). */
    void release(String containerId, Path runDir, List<Device> hotplugged, Hypervisor hypervisor) {
        if (hypervisor != null) {
            hotplugged.forEach(hypervisor::hotplugRemoveDevice);
        }
        cleaner.remove(GuestPaths.hostContainerDir(runDir, containerId));
    }

    // Bind mounts of host files (resolv.conf, hosts, volumes) are put in the shared directory so the
    // guest can bind them into the container.
    private Map<Integer, String> shareBindMounts(String id, ObjectNode spec, Path runDir) {
        var sources = new HashMap<Integer, String>();
        JsonNode mounts = spec.path("mounts");
        for (int i = 0; i < mounts.size(); i++) {
            JsonNode mount = mounts.get(i);
            if (!isBind(mount)) {
                continue;
            }
            Path source = Path.of(mount.path("source").asText());
            if (!source.isAbsolute() || !Files.exists(source) || HOST_ONLY.stream().anyMatch(source::startsWith)) {
                continue;
            }
            Path target = GuestPaths.hostMountSource(runDir, id, i);
            createMountPoint(target, Files.isDirectory(source));
            mounter.bind(source, target, false);
            sources.put(i, GuestPaths.guestMountSource(id, i));
        }
        return sources;
    }

    // A mount of a block device (a volume on a disk) is hot-plugged and mounted by the agent, which
    // then binds it into the container: the guest's kernel reads the filesystem, not the host's.
    private static Map<Integer, String> plugBlockVolumes(String id, ObjectNode spec, Hypervisor hypervisor,
                                                         List<Device> hotplugged, List<Storage> storages,
                                                         Rollback rollback) {
        var sources = new HashMap<Integer, String>();
        JsonNode mounts = spec.path("mounts");
        for (int i = 0; i < mounts.size(); i++) {
            JsonNode mount = mounts.get(i);
            Path source = Path.of(mount.path("source").asText("none"));
            if (isBind(mount) || !BlockDevices.isBlockDevice(source)) {
                continue;
            }
            var options = new ArrayList<String>();
            mount.path("options").forEach(option -> options.add(option.asText()));
            var block = new Device.Block("vol-" + id + "-" + i, source, options.contains("ro"));
            String mountPoint = GuestPaths.guestBlockVolume(id, i);
            storages.add(new Storage("blk", hotplug(hypervisor, block, hotplugged, rollback),
                    mount.path("type").asText(), options, mountPoint));
            sources.put(i, mountPoint);
        }
        return sources;
    }

    private static boolean isBind(JsonNode mount) {
        if (mount.path("type").asText().equals("bind")) {
            return true;
        }
        for (JsonNode option : mount.path("options")) {
            if (option.asText().equals("bind") || option.asText().equals("rbind")) {
                return true;
            }
        }
        return false;
    }

    private static String hotplug(Hypervisor hypervisor, Device device, List<Device> plugged, Rollback rollback) {
        String address = hypervisor.hotplugAddDevice(device).guestAddress();
        plugged.add(device);
        rollback.onFailure("unplug " + device.id(), () -> hypervisor.hotplugRemoveDevice(device));
        return address;
    }

    private static Path createDirectories(Path dir) {
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
    }

    private static void createMountPoint(Path target, boolean directory) {
        try {
            Files.createDirectories(target.getParent());
            if (directory) {
                Files.createDirectories(target);
            } else if (!Files.exists(target)) {
                Files.createFile(target);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create mount point " + target, e);
        }
    }
}
