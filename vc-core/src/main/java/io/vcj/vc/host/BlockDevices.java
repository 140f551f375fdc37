package io.vcj.vc.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Tells block device nodes from other paths, as a mount's source or a rootfs may be either. */
public final class BlockDevices {
    private static final int FILE_TYPE = 0170000;
    private static final int BLOCK_DEVICE = 0060000;

    private BlockDevices() {
    }

    /** Whether {@code path} is (or links to) a block device node; false for anything missing or unreadable. */
    public static boolean isBlockDevice(Path path) {
        try {
            return path.isAbsolute() && ((int) Files.getAttribute(path, "unix:mode") & FILE_TYPE) == BLOCK_DEVICE;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }
}
