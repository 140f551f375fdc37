package io.vcj.netns;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/** The VM's end of a tap, as QEMU opens it: frames read are what the guest NIC would receive. */
final class TapDevice implements AutoCloseable {
    private static final long TUNSETIFF = 0x400454caL;
    private static final short IFF_TAP = 0x0002;
    private static final short IFF_NO_PI = 0x1000;
    private static final short POLLIN = 0x0001;
    private static final int IFREQ_SIZE = 40;
    private static final int IFREQ_FLAGS = 16;
    private static final int MAX_FRAME = 65536;

    private static final MethodHandle IOCTL = Libc.function("ioctl",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS), Linker.Option.firstVariadicArg(2));
    private static final MethodHandle READ = Libc.function("read", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle WRITE = Libc.function("write", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle POLL = Libc.function("poll", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));

    private final int fd;

    private TapDevice(int fd) {
        this.fd = fd;
    }

    /** Attaches to the existing tap {@code name} in the namespace at {@code netns}. */
    static TapDevice open(Path netns, String name) {
        return NetnsThread.call(netns, () -> {
            int fd = Libc.open("/dev/net/tun", Libc.O_RDWR | Libc.O_CLOEXEC);
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment ifreq = arena.allocate(IFREQ_SIZE);
                ifreq.setString(0, name, StandardCharsets.US_ASCII);
                ifreq.set(JAVA_SHORT, IFREQ_FLAGS, (short) (IFF_TAP | IFF_NO_PI));
                MemorySegment state = Libc.callState(arena);
                Libc.checked((int) IOCTL.invokeExact(state, fd, TUNSETIFF, ifreq), state, "TUNSETIFF " + name);
                return new TapDevice(fd);
            } catch (Throwable t) {
                Libc.close(fd);
                throw new IllegalStateException("cannot attach to tap " + name, t);
            }
        });
    }

    /** The next frame, or null if none came within {@code timeout}. */
    byte[] read(Duration timeout) throws Throwable {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Libc.callState(arena);
            MemorySegment pollFd = arena.allocate(8);
            pollFd.set(JAVA_INT, 0, fd);
            pollFd.set(JAVA_SHORT, 4, POLLIN);
            int ready = Libc.checked((int) POLL.invokeExact(state, pollFd, 1L, (int) timeout.toMillis()), state, "poll");
            if (ready == 0) {
                return null;
            }
            MemorySegment buffer = arena.allocate(MAX_FRAME);
            long length = Libc.checked((int) (long) READ.invokeExact(state, fd, buffer, (long) MAX_FRAME), state, "read");
            return buffer.asSlice(0, length).toArray(JAVA_BYTE);
        }
    }

    void write(byte[] frame) throws Throwable {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Libc.callState(arena);
            MemorySegment buffer = arena.allocateFrom(JAVA_BYTE, frame);
            Libc.checked((int) (long) WRITE.invokeExact(state, fd, buffer, (long) frame.length), state, "write");
        }
    }

    @Override
    public void close() {
        Libc.close(fd);
    }
}
