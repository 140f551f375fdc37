package io.vcj.kata.guest.storage;

import io.vcj.kata.guest.sys.KernelModules;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vcj.kata.proto.Device;
import io.vcj.kata.proto.Linux;
import io.vcj.kata.proto.LinuxDevice;
import io.vcj.kata.proto.LinuxDeviceCgroup;
import io.vcj.kata.proto.Spec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContainerDevicesTest {
    @TempDir
    Path sys;
    private ContainerDevices devices;

    @BeforeEach
    void diskBehindRootPort2() throws Exception {
        Files.createDirectories(sys.resolve("devices/pci0000:00/0000:00:02.0/0000:01:00.0/virtio3/block/vdb"));
        Files.writeString(Files.createDirectories(sys.resolve("class/block/vdb")).resolve("dev"), "254:16\n");
        devices = new ContainerDevices(new PciBlockDevices(sys.resolve("devices"), Duration.ZERO),
                sys.resolve("class/block"), KernelModules.NONE);
    }

    @Test
    void theHostsDeviceNumbersAreReplacedByTheGuestDisks() throws Exception {
        Spec host = Spec.newBuilder().setLinux(Linux.newBuilder()
                .addDevices(LinuxDevice.newBuilder().setPath("/dev/xvdb").setType("b").setMajor(7).setMinor(5).setFileMode(0600))
                .addDevices(LinuxDevice.newBuilder().setPath("/dev/fuse").setType("c").setMajor(10).setMinor(229)))
                .build();

        Linux guest = devices.adapt(host, List.of(disk("/dev/xvdb"))).getLinux();

        assertEquals(List.of(LinuxDevice.newBuilder().setPath("/dev/xvdb").setType("b").setMajor(254).setMinor(16).setFileMode(0600).build(),
                host.getLinux().getDevices(1)), guest.getDevicesList());
        assertEquals(List.of(LinuxDeviceCgroup.newBuilder().setAllow(true).setType("b").setMajor(254).setMinor(16).setAccess("rwm").build()),
                guest.getResources().getDevicesList());
    }

    @Test
    void aDiskTheSpecDoesNotListIsAdded() throws Exception {
        Linux guest = devices.adapt(Spec.getDefaultInstance(), List.of(disk("/dev/data"))).getLinux();

        assertEquals(List.of(LinuxDevice.newBuilder().setPath("/dev/data").setType("b").setMajor(254).setMinor(16).setFileMode(0660).build()),
                guest.getDevicesList());
    }

    @Test
    void otherDeviceTypesAndMissingDisksAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> devices.adapt(Spec.getDefaultInstance(),
                List.of(Device.newBuilder().setType("vfio-gk").setContainerPath("/dev/vfio/1").build())));
        assertThrows(java.io.IOException.class, () -> devices.adapt(Spec.getDefaultInstance(),
                List.of(Device.newBuilder().setType("blk").setId("05/00").setContainerPath("/dev/x").build())));
    }

    private static Device disk(String containerPath) {
        return Device.newBuilder().setId("02/00").setType("blk").setContainerPath(containerPath).build();
    }
}
