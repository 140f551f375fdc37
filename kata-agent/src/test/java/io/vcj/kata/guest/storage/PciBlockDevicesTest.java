package io.vcj.kata.guest.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PciBlockDevicesTest {
    @TempDir
    Path sys;

    @Test
    void followsRootPortToTheDiskBehindIt() throws IOException {
        Files.createDirectories(sys.resolve("pci0000:00/0000:00:02.0/0000:01:00.0/virtio3/block/vdb"));
        Files.createDirectories(sys.resolve("pci0000:00/0000:00:03.0/0000:02:00.0/virtio4/block/vdc"));
        PciBlockDevices devices = new PciBlockDevices(sys, Duration.ZERO);
        assertEquals(Path.of("/dev/vdb"), devices.find("02/00"));
        assertEquals(Path.of("/dev/vdc"), devices.find("03/00"));
    }

    @Test
    void givesUpWhenNoDiskAppearsAndRefusesOtherForms() {
        PciBlockDevices devices = new PciBlockDevices(sys, Duration.ZERO);
        assertThrows(IOException.class, () -> devices.find("05/00"));
        assertThrows(IllegalArgumentException.class, () -> devices.find("../../etc"));
    }
}
