package io.vcj.shim;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The stdio of a {@code start} that goes on as the pod's long-lived shim. Until it has answered,
 * stdout and stderr are a pipe the launcher reads the answer from, and stdin is containerd's
 * options; then the shim takes the bundle's {@code log} FIFO as stdout and stderr (containerd
 * copies it into its own log) and {@code /dev/null} as stdin, so that no descriptor of the launcher
 * or containerd stays open in a process that outlives them: containerd reads start's output to its
 * end.
 */
final class ShimStdio {

    private final int log;
    private final int devNull;

    private ShimStdio(int log, int devNull) {
        this.log = log;
        this.devNull = devNull;
    }

    /** Opened before start answers, so that afterwards nothing is left that can fail but dup2. */
    static ShimStdio open(Path fifo) throws IOException {
        int log = openLog(fifo);
        try {
            return new ShimStdio(log, Libc.open("/dev/null", Libc.O_RDWR | Libc.O_CLOEXEC));
        } catch (IOException | RuntimeException e) {
            Libc.close(log);
            throw e;
        }
    }

    /** Makes them this process's stdio. */
    void install() throws IOException {
        try {
            System.out.flush();
            System.err.flush();
            Libc.dup2(devNull, 0);
            Libc.dup2(log, 1);
            Libc.dup2(log, 2);
        } finally {
            Libc.close(devNull);
            Libc.close(log);
        }
    }

    /**
     * The FIFO opened without blocking: if nobody reads it (a shim started by hand) or it is
     * missing, the log goes to /dev/null instead.
     */
    private static int openLog(Path fifo) throws IOException {
        try {
            int fd = Libc.open(fifo.toString(), Libc.O_WRONLY | Libc.O_NONBLOCK | Libc.O_CLOEXEC);
            // Blocking from here on: a full pipe must slow the logger down, not lose lines.
            Libc.fcntl(fd, Libc.F_SETFL, Libc.fcntl(fd, Libc.F_GETFL, 0) & ~Libc.O_NONBLOCK);
            return fd;
        } catch (Libc.ErrnoException e) {
            return Libc.open("/dev/null", Libc.O_RDWR | Libc.O_CLOEXEC);
        }
    }
}
