package io.vcj.kata.guest.sys;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RootFilesystemTest {
    @TempDir
    Path dir;

    private boolean isRamdisk(String mounts) throws Exception {
        Path table = dir.resolve("mounts");
        Files.writeString(table, mounts);
        return RootFilesystem.isRamdisk(table);
    }

    @Test
    void initramfsRootIsARamdisk() throws Exception {
        assertTrue(isRamdisk("rootfs / rootfs rw,size=496412k 0 0\nproc /proc proc rw 0 0\n"));
    }

    @Test
    void aDiskMountedOverTheInitramfsIsNot() throws Exception {
        assertFalse(isRamdisk("rootfs / rootfs rw 0 0\n/dev/vda / ext4 ro,relatime 0 0\n"));
        assertFalse(isRamdisk("overlay / overlay rw 0 0\n"));
    }
}
