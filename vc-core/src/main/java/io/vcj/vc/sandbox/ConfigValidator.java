package io.vcj.vc.sandbox;

import io.vcj.vc.VcException;
import io.vcj.vc.config.ContainerConfig;
import io.vcj.vc.config.DeviceInfo;
import io.vcj.vc.config.OciSpecs;
import io.vcj.vc.config.Rootfs;
import io.vcj.vc.config.SandboxConfig;
import io.vcj.vc.config.Volume;
import io.vcj.vc.hypervisor.Device;
import io.vcj.vc.hypervisor.HypervisorConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * Checks what the records cannot check alone (files on this host, registered types, OCI specs), so a
 * bad request fails before any VM starts, naming the problem.
 */
final class ConfigValidator {
    private final Set<String> hypervisorTypes;
    private final Set<String> agentTypes;

    ConfigValidator(Set<String> hypervisorTypes, Set<String> agentTypes) {
        this.hypervisorTypes = Set.copyOf(hypervisorTypes);
        this.agentTypes = Set.copyOf(agentTypes);
    }

    void validate(SandboxConfig config) {
        String where = "sandbox '" + config.id() + "'";
        if (!hypervisorTypes.contains(config.hypervisorType())) {
            throw new VcException.InvalidArgument(where + ": unknown hypervisor type '" + config.hypervisorType()
                    + "' (known: " + String.join(", ", hypervisorTypes) + ")");
        }
        if (!agentTypes.contains(config.agentType())) {
            throw new VcException.InvalidArgument(where + ": unknown agent type '" + config.agentType()
                    + "' (known: " + String.join(", ", agentTypes) + ")");
        }
        validate(where, config.hypervisorConfig());
        for (Volume volume : config.volumes()) {
            requireDirectory(where + " volume '" + volume.mountTag() + "'", volume.hostPath());
        }
        if (config.network().enabled() && !config.network().createNamespace()
                && !Files.exists(config.network().netnsPath())) {
            throw new VcException.InvalidArgument(where + ": network namespace "
                    + config.network().netnsPath() + " does not exist");
        }
        config.containers().forEach(this::validate);
    }

    private static void validate(String where, HypervisorConfig config) {
        requireFile(where + " kernel", config.kernelPath());
        if (config.initrdPath() == null && config.imagePath() == null) {
            throw new VcException.InvalidArgument(where + ": needs an initrd or an image path");
        }
        if (config.initrdPath() != null) {
            requireFile(where + " initrd", config.initrdPath());
        }
        if (config.imagePath() != null) {
            requireFile(where + " image", config.imagePath());
        }
        if (config.firmwarePath() != null) {
            requireFile(where + " firmware", config.firmwarePath());
        }
        requireExecutable(where + " hypervisor", config.hypervisorPath());
        if (config.sharedFs() == Device.SharedFs.VIRTIO_FS) {
            requireExecutable(where + " virtiofsd", config.virtioFsDaemon());
        }
    }

    void validate(ContainerConfig config) {
        String where = "container '" + config.id() + "'";
        switch (config.rootfs()) {
            case Rootfs.HostPath(Path path) -> requireDirectory(where + " rootfs", path);
            case Rootfs.BlockDevice(Path device, String fsType, var options) -> requireExists(where + " rootfs device", device);
            case Rootfs.Mounts(var mounts) -> mounts.forEach(m -> {
                if (m.type().equals("bind")) {
                    requireExists(where + " rootfs mount source", Path.of(m.source()));
                }
            });
        }
        for (DeviceInfo device : config.devices()) {
            requireExists(where + " device", device.hostPath());
        }
        if (config.ociSpec() != null) {
            OciSpecs.validate(config.id(), config.ociSpec());
        }
    }

    private static void requireExists(String what, Path path) {
        if (path == null || !Files.exists(path)) {
            throw new VcException.InvalidArgument(what + " " + path + " does not exist");
        }
    }

    private static void requireFile(String what, Path path) {
        requireExists(what, path);
        if (!Files.isRegularFile(path)) {
            throw new VcException.InvalidArgument(what + " " + path + " is not a regular file");
        }
    }

    private static void requireDirectory(String what, Path path) {
        requireExists(what, path);
        if (!Files.isDirectory(path)) {
            throw new VcException.InvalidArgument(what + " " + path + " is not a directory");
        }
    }

    private static void requireExecutable(String what, Path path) {
        requireFile(what, path);
        if (!Files.isExecutable(path)) {
            throw new VcException.InvalidArgument(what + " " + path + " is not executable");
        }
    }
}
