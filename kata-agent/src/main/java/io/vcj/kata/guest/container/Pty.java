package io.vcj.kata.guest.container;

import io.vcj.kata.guest.sys.Libc;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A pseudo-terminal pair for a process with {@code terminal: true}. The foreground runc gets the
 * slave as its stdin/stdout, sets it raw, and copies between it and the container's own pty; it
 * also sizes the container's pty from the slave whenever it gets SIGWINCH.
 *
 * <p>The master is opened by the JDK ({@code /dev/ptmx} as a file) so reads and writes are plain
 * blocking file I/O that virtual threads handle well; only the few calls the JDK lacks (grantpt,
 * unlockpt, ptsname_r, ioctl) go through the FFM API, on the master's descriptor number.
 */
final class Pty implements AutoCloseable {
    private static final Path PTMX = Path.of("/dev/ptmx");
    private static final long TIOCSWINSZ = 0x5414;

    private static final class Native {
        static final MethodHandle GRANTPT = Libc.function("grantpt", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
        static final MethodHandle UNLOCKPT = Libc.function("unlockpt", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
        static final MethodHandle PTSNAME_R = Libc.function("ptsname_r", FunctionDescriptor.of(ValueLayout.JAVA_INT,
                ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
    }

    private final RandomAccessFile master;
    private final int masterFd;
    private final Path slave;
    private PlatformThreadReads reads;

    private Pty(RandomAccessFile master, int masterFd, Path slave) {
        this.master = master;
        this.masterFd = masterFd;
        this.slave = slave;
    }

    /** Opens a new pair; one at a time, as the master's descriptor number is found by what appeared. */
    static synchronized Pty open() throws IOException {
        Set<Integer> before = ptmxDescriptors();
        RandomAccessFile master = new RandomAccessFile(PTMX.toFile(), "rw");
        try {
            Set<Integer> opened = ptmxDescriptors();
            opened.removeAll(before);
            if (opened.size() != 1) {
                throw new IOException("cannot find the descriptor of the new pty master");
            }
            int fd = opened.iterator().next();
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment name = arena.allocate(128);
                if ((int) Native.GRANTPT.invokeExact(fd) != 0 || (int) Native.UNLOCKPT.invokeExact(fd) != 0
                        || (int) Native.PTSNAME_R.invokeExact(fd, name, name.byteSize()) != 0) {
                    throw new IOException("cannot set up the pty slave");
                }
                return new Pty(master, fd, Path.of(name.getString(0)));
            }
        } catch (Throwable e) {
            master.close();
            throw e instanceof IOException io ? io : new IOException("pty: " + e, e);
        }
    }

    private static Set<Integer> ptmxDescriptors() throws IOException {
        Set<Integer> fds = new HashSet<>();
        try (Stream<Path> entries = Files.list(Path.of("/proc/self/fd"))) {
            for (Path entry : entries.toList()) {
                try {
                    if (Files.readSymbolicLink(entry).equals(PTMX)) {
                        fds.add(Integer.parseInt(entry.getFileName().toString()));
                    }
                } catch (IOException e) {
                    // Closed while we listed it.
                }
            }
        }
        return fds;
    }

    /** The slave's path, to hand to the process as its stdio. */
    Path slave() {
        return slave;
    }

    void resize(int rows, int columns) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment winsize = arena.allocate(8);
            winsize.set(ValueLayout.JAVA_SHORT, 0, (short) rows);
            winsize.set(ValueLayout.JAVA_SHORT, 2, (short) columns);
            if ((int) Libc.ioctl().invokeExact(masterFd, TIOCSWINSZ, winsize) != 0) {
                throw new IOException("TIOCSWINSZ failed");
            }
        } catch (IOException e) {
            throw e;
        } catch (Throwable e) {
            throw new IOException("TIOCSWINSZ: " + e, e);
        }
    }

    /**
     * What the process writes; ends (the kernel answers EIO) once every slave descriptor is closed.
     * Read on a platform thread ({@link PlatformThreadReads}): the agent serves calls on virtual threads.
     */
    InputStream input() throws IOException {
        reads = new PlatformThreadReads(masterInput(), "pty-read-" + slave.getFileName());
        return reads;
    }

    private InputStream masterInput() throws IOException {
        FileDescriptor fd = master.getFD();
        return new FileInputStream(fd) {
            @Override
            public int read(byte[] b) throws IOException {
                return read(b, 0, b.length);
            }

            @Override
            public int read(byte[] b, int off, int len) {
                try {
                    return super.read(b, off, len);
                } catch (IOException e) {
                    return -1;
                }
            }
        };
    }

    OutputStream output() throws IOException {
        return new FileOutputStream(master.getFD());
    }

    @Override
    public void close() throws IOException {
        if (reads != null) {
            reads.close();
        }
        master.close();
    }
}
