package io.vcj.kata.guest.sys;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * The guest kernel's random pool. VMs resumed from one template start with the same pool, so the
 * host sends each fresh bytes, as Kata's agent takes them: written to /dev/urandom, credited as
 * entropy (ioctl RNDADDTOENTCNT: they come from the host's secure generator, and a guest that had
 * too little to initialise its generator, usual under TCG, can then do it) and the generator
 * reseeded from the pool now (RNDRESEEDCRNG), not at its next scheduled reseed.
 */
public final class RandomPool {
    private static final int O_WRONLY = 1;
    private static final int O_CLOEXEC = 0x80000;
    private static final long RNDADDTOENTCNT = 0x40045201L;
    private static final long RNDRESEEDCRNG = 0x5207;

    private static final class Native {
        static final MethodHandle OPEN = Libc.function("open", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
        static final MethodHandle WRITE = Libc.function("write", FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
        static final MethodHandle CLOSE = Libc.function("close", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    }

    private RandomPool() {
    }

    public static void reseed(byte[] data) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            int fd = (int) Native.OPEN.invokeExact(arena.allocateFrom("/dev/urandom"), O_WRONLY | O_CLOEXEC);
            if (fd < 0) {
                throw new IOException("cannot open /dev/urandom");
            }
            try {
                MemorySegment bytes = arena.allocateFrom(ValueLayout.JAVA_BYTE, data);
                if ((long) Native.WRITE.invokeExact(fd, bytes, (long) data.length) != data.length) {
                    throw new IOException("short write to /dev/urandom");
                }
                MemorySegment bits = arena.allocateFrom(ValueLayout.JAVA_INT, data.length * Byte.SIZE);
                if ((int) Libc.ioctl().invokeExact(fd, RNDADDTOENTCNT, bits) != 0) {
                    throw new IOException("ioctl RNDADDTOENTCNT on /dev/urandom failed");
                }
                if ((int) Libc.ioctl().invokeExact(fd, RNDRESEEDCRNG, MemorySegment.NULL) != 0) {
                    throw new IOException("ioctl RNDRESEEDCRNG on /dev/urandom failed");
                }
            } finally {
                int ignored = (int) Native.CLOSE.invokeExact(fd);
            }
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("reseeding /dev/urandom", t);
        }
    }
}
