package io.vcj.qemu;

import io.vcj.vc.hypervisor.Device;
import io.vcj.vc.hypervisor.HypervisorConfig;
import io.vcj.vc.hypervisor.HypervisorException;

import java.nio.file.Files;
import java.nio.file.Path;

/** Rejects a config QEMU could not start, naming the offending path or value. */
final class ConfigValidator {

    static final int MIN_MEMORY_MIB = 64;
    static final int MAX_VCPUS = 255;
    /** Each root port reserves bridge windows; past a few dozen the firmware runs out of them. */
    static final int MAX_HOTPLUG_PORTS = 32;
    /** sun_path is 108 bytes including the terminating NUL. */
    static final int MAX_SOCKET_PATH = 107;

    private ConfigValidator() {
    }

    static void validate(HypervisorConfig config, RunDir runDir) {
        if (config == null) {
            throw new HypervisorException("hypervisor config is missing");
        }
        executable("hypervisor", config.hypervisorPath());
        readable("kernel", config.kernelPath());
        if (config.initrdPath() == null && config.imagePath() == null) {
            throw new HypervisorException("neither an initrd nor a root disk image is configured");
        }
        if (config.initrdPath() != null && config.imagePath() != null) {
            throw new HypervisorException("both initrd " + config.initrdPath() + " and image " + config.imagePath()
                    + " are configured; choose one");
        }
        if (config.initrdPath() != null) {
            readable("initrd", config.initrdPath());
        } else {
            readable("image", config.imagePath());
        }
        if (config.firmwarePath() != null) {
            readable("firmware", config.firmwarePath());
        }
        if (config.vcpus() < 1 || config.vcpus() > MAX_VCPUS) {
            throw new HypervisorException("vcpus " + config.vcpus() + " is out of range 1.." + MAX_VCPUS);
        }
        if (config.memoryMiB() < MIN_MEMORY_MIB) {
            throw new HypervisorException("memory " + config.memoryMiB() + " MiB is below the minimum of " + MIN_MEMORY_MIB + " MiB");
        }
        MachineType.parse(config.machineType());
        String transport = config.agentTransport();
        if (transport != null && !transport.equals("virtio-serial") && !transport.equals("vsock")) {
            throw new HypervisorException("unknown agent transport '" + transport + "' (supported: virtio-serial, vsock)");
        }
        if (config.sharedFs() == Device.SharedFs.VIRTIO_FS) {
            executable("virtiofsd", VirtiofsDaemon.binary(config));
        }
        socketPath(runDir.qmpSocket());
        socketPath(runDir.attachQmpSocket());
        annotations(config);
    }

    private static void annotations(HypervisorConfig config) {
        intAnnotation(config, QemuHypervisor.HOTPLUG_PORTS, 0, MAX_HOTPLUG_PORTS);
        intAnnotation(config, QemuHypervisor.VSOCK_CID, 3, Integer.MAX_VALUE);
    }

    private static void intAnnotation(HypervisorConfig config, String key, long min, long max) {
        String value = config.annotations().get(key);
        if (value == null) {
            return;
        }
        try {
            long parsed = Long.parseLong(value.strip());
            if (parsed < min || parsed > max) {
                throw new NumberFormatException();
            }
        } catch (NumberFormatException e) {
            throw new HypervisorException("annotation " + key + "='" + value + "' is not a number in " + min + ".." + max);
        }
    }

    static void validateDevice(Device device, HypervisorConfig config) {
        if (device == null || device.id() == null || device.id().isBlank()) {
            throw new HypervisorException("device " + device + " has no id");
        }
        switch (device) {
            case Device.SharedDirectory dir -> {
                if (!Files.isDirectory(dir.hostPath())) {
                    throw new HypervisorException("shared directory " + dir.hostPath() + " (device " + dir.id() + ") is not a directory");
                }
                if (dir.tag() == null || dir.tag().isBlank()) {
                    throw new HypervisorException("shared directory device " + dir.id() + " has no mount tag");
                }
                if (dir.fs() == Device.SharedFs.VIRTIO_FS) {
                    executable("virtiofsd", VirtiofsDaemon.binary(config));
                }
            }
            case Device.Block block -> readable("block device " + block.id(), block.hostPath());
            case Device.Network net -> {
                if (net.tapName() == null || net.tapName().isBlank()) {
                    throw new HypervisorException("network device " + net.id() + " has no tap name");
                }
                if (net.macAddress() == null || !net.macAddress().matches("(?i)([0-9a-f]{2}:){5}[0-9a-f]{2}")) {
                    throw new HypervisorException("network device " + net.id() + " has an invalid MAC address '" + net.macAddress() + "'");
                }
            }
            case Device.Vfio vfio -> {
                if (vfio.hostBdf() == null || !vfio.hostBdf().matches("(?i)([0-9a-f]{4}:)?[0-9a-f]{2}:[0-9a-f]{2}\\.[0-7]")) {
                    throw new HypervisorException("vfio device " + vfio.id() + " has an invalid PCI address '" + vfio.hostBdf() + "'");
                }
            }
        }
    }

    static void socketPath(Path socket) {
        if (socket.toString().getBytes().length > MAX_SOCKET_PATH) {
            throw new HypervisorException("socket path " + socket + " is longer than " + MAX_SOCKET_PATH + " bytes; use a shorter run directory");
        }
    }

    private static void readable(String what, Path path) {
        if (path == null) {
            throw new HypervisorException(what + " path is not configured");
        }
        if (!Files.isRegularFile(path) && !isBlockDevice(path)) {
            throw new HypervisorException(what + " " + path + " does not exist or is not a file");
        }
        if (!Files.isReadable(path)) {
            throw new HypervisorException(what + " " + path + " is not readable");
        }
    }

    private static void executable(String what, Path path) {
        if (path == null) {
            throw new HypervisorException(what + " path is not configured");
        }
        if (!Files.isRegularFile(path)) {
            throw new HypervisorException(what + " binary " + path + " does not exist");
        }
        if (!Files.isExecutable(path)) {
            throw new HypervisorException(what + " binary " + path + " is not executable");
        }
    }

    private static boolean isBlockDevice(Path path) {
        return Files.exists(path) && !Files.isDirectory(path) && path.startsWith("/dev");
    }
}
