package io.vcj.shim;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * An exclusive flock(2) on a directory, across processes, until closed or the process ends. On the
 * directory itself, so that no lock file is left behind in it.
 */
final class DirectoryLock implements AutoCloseable {

    private final int fd;

    private DirectoryLock(int fd) {
        this.fd = fd;
    }

    /** Creates the directory (mode 0700) if need be, then waits for the lock. */
    static DirectoryLock acquire(Path directory) throws IOException {
        Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        int fd = Libc.open(directory.toString(), Libc.O_RDONLY | Libc.O_DIRECTORY | Libc.O_CLOEXEC);
        try {
            Libc.flock(fd, Libc.LOCK_EX);
            return new DirectoryLock(fd);
        } catch (IOException | RuntimeException e) {
            Libc.close(fd);
            throw e;
        }
    }

    @Override
    public void close() {
        Libc.close(fd);
    }
}
