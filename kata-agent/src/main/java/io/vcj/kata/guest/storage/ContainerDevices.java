package io.vcj.kata.guest.storage;

import io.vcj.kata.guest.sys.KernelModules;
import io.vcj.kata.proto.Device;
import io.vcj.kata.proto.Linux;
import io.vcj.kata.proto.LinuxDevice;
import io.vcj.kata.proto.LinuxDeviceCgroup;
import io.vcj.kata.proto.Spec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Puts the disks the host hot-plugged for a container at the paths it asked for. The host's spec
 * names a disk by the host's device numbers, which mean nothing here: the container gets the
 * guest's disk under the guest's numbers, and its device cgroup lets it use it.
 */
public final class ContainerDevices {
    /** kata's type for a virtio-blk disk on PCI, whose id is its PCI path. */
    private static final String BLOCK = "blk";

    private final PciBlockDevices blockDevices;
    private final Path sysClassBlock;
    private final KernelModules modules;

    public static ContainerDevices guest() {
        return new ContainerDevices(new PciBlockDevices(Path.of("/sys/devices"), Duration.ofSeconds(10)),
                Path.of("/sys/class/block"), KernelModules.modprobe());
    }

    ContainerDevices(PciBlockDevices blockDevices, Path sysClassBlock, KernelModules modules) {
        this.blockDevices = blockDevices;
        this.sysClassBlock = sysClassBlock;
        this.modules = modules;
    }

    public Spec adapt(Spec spec, List<Device> devices) throws IOException {
        if (devices.isEmpty()) {
            return spec;
        }
        Spec.Builder adapted = spec.toBuilder();
        for (Device device : devices) {
            if (!device.getType().equals(BLOCK)) {
                throw new IllegalArgumentException("device type '" + device.getType() + "' of "
                        + device.getContainerPath() + " is not supported");
            }
            modules.load("virtio_blk");
            String name = blockDevices.find(device.getId()).getFileName().toString();
            String[] numbers = Files.readString(sysClassBlock.resolve(name).resolve("dev")).strip().split(":");
            place(adapted.getLinuxBuilder(), device.getContainerPath(), Long.parseLong(numbers[0]),
                    Long.parseLong(numbers[1]));
        }
        return adapted.build();
    }

    private static void place(Linux.Builder linux, String path, long major, long minor) {
        LinuxDevice.Builder node = null;
        for (LinuxDevice.Builder existing : linux.getDevicesBuilderList()) {
            if (existing.getPath().equals(path)) {
                node = existing;
            }
        }
        if (node == null) {
            node = linux.addDevicesBuilder().setPath(path).setType("b").setFileMode(0660);
        }
        node.setMajor(major).setMinor(minor);
        linux.getResourcesBuilder().addDevices(LinuxDeviceCgroup.newBuilder()
                .setAllow(true).setType("b").setMajor(major).setMinor(minor).setAccess("rwm"));
    }
}
