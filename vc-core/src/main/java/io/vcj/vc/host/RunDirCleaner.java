package io.vcj.vc.host;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Removes a sandbox's directory. Container filesystems are bind-mounted into it, so it unmounts
 * everything below first and refuses to delete while anything is still mounted: a recursive delete
 * through a bind mount would destroy the user's data.
 */
public final class RunDirCleaner {
    private static final Logger LOG = LogManager.getLogger(RunDirCleaner.class);
    private static final int MAX_STACKED_MOUNTS = 16;

    private final HostMounter mounter;

    public RunDirCleaner(HostMounter mounter) {
        this.mounter = mounter;
    }

    public void remove(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        // Mounts may be stacked on one mount point: each round peels one layer off each.
        var stillMounted = mounter.mountsUnder(dir);
        for (int round = 0; round < MAX_STACKED_MOUNTS && !stillMounted.isEmpty(); round++) {
            stillMounted.forEach(mountPoint -> {
                LOG.debug("unmounting {}", mountPoint);
                mounter.unmount(mountPoint);
            });
            stillMounted = mounter.mountsUnder(dir);
        }
        if (!stillMounted.isEmpty()) {
            throw new IllegalStateException("not removing " + dir + ": still mounted " + stillMounted);
        }
        deleteRecursively(dir);
    }

    private static void deleteRecursively(Path dir) {
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                    if (e != null) {
                        throw e;
                    }
                    Files.delete(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + dir, e);
        }
    }
}
