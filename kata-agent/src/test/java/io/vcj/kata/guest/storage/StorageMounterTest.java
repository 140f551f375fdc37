package io.vcj.kata.guest.storage;

import io.vcj.kata.guest.sys.KernelModules;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vcj.kata.proto.Storage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StorageMounterTest {
    @TempDir
    Path dir;

    private StorageMounter mounter(Path mountTable) {
        return new StorageMounter(mountTable, new PciBlockDevices(dir.resolve("sys"), Duration.ZERO), KernelModules.NONE);
    }

    private static boolean isMounted(Path target) throws Exception {
        return Files.readAllLines(Path.of("/proc/self/mounts")).stream()
                .anyMatch(line -> line.split(" ")[1].equals(target.toString()));
    }

    @Test
    void mountsAnEphemeralStorageAsTmpfs() throws Exception {
        Path target = dir.resolve("ephemeral");
        mounter(Path.of("/proc/self/mounts")).mount(Storage.newBuilder()
                .setDriver("ephemeral").setSource("tmpfs").setMountPoint(target.toString()).build());
        try {
            assertTrue(isMounted(target));
        } finally {
            new ProcessBuilder("umount", target.toString()).inheritIO().start().waitFor();
        }
    }

    @Test
    void leavesAnAlreadyMountedPointAlone() throws Exception {
        Path target = dir.resolve("shared");
        Path table = dir.resolve("mounts");
        Files.writeString(table, "vcjshared " + target + " 9p rw 0 0\n");
        // Would fail if it ran mount: there is no such device here.
        mounter(table).mount(Storage.newBuilder().setDriver("9p").setSource("vcjshared")
                .setMountPoint(target.toString()).build());
    }

    @Test
    void refusesUnknownDriversAndMissingDisks() throws Exception {
        Path table = dir.resolve("mounts");
        Files.writeString(table, "");
        StorageMounter mounter = mounter(table);
        assertThrows(IllegalArgumentException.class, () -> mounter.mount(Storage.newBuilder()
                .setDriver("nvdimm").setMountPoint(dir.resolve("x").toString()).build()));
        assertThrows(IOException.class, () -> mounter.mount(Storage.newBuilder()
                .setDriver("blk").setSource("02/00").setFstype("ext4").setMountPoint(dir.resolve("disk").toString()).build()));
        assertTrue(Files.notExists(dir.resolve("disk")));
    }
}
