package io.vcj.kata.guest.sys;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/** What the guest's "/" is: an initramfs cannot be pivot_root'ed away from, which runc needs to know. */
public final class RootFilesystem {
    private static final Set<String> RAMDISKS = Set.of("rootfs", "ramfs");

    private RootFilesystem() {
    }

    /** @param mountTable normally {@code /proc/self/mounts}; the last mount on "/" is the one in use */
    public static boolean isRamdisk(Path mountTable) throws IOException {
        List<String> lines = Files.readAllLines(mountTable);
        String rootType = "";
        for (String line : lines) {
            String[] fields = line.split(" ");
            if (fields.length > 2 && fields[1].equals("/")) {
                rootType = fields[2];
            }
        }
        return RAMDISKS.contains(rootType);
    }
}
