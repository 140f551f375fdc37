package io.vcj.netns;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * Calls into libc for what the JDK has no API for (setns, tun ioctls), through the FFM API.
 * Every handle captures errno, so a failure can say why.
 */
final class Libc {
    static final int O_RDONLY = 0;
    static final int O_RDWR = 2;
    static final int O_CLOEXEC = 0x80000;
    static final int ENOENT = 2;
    static final int EINVAL = 22;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final MethodHandle STRERROR = LINKER.downcallHandle(
            LINKER.defaultLookup().findOrThrow("strerror"), FunctionDescriptor.of(ADDRESS, JAVA_INT));
    private static final MethodHandle OPEN = function("open", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle CLOSE = function("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));

    private Libc() {
    }

    /** A libc function whose handle takes a {@link #callState} segment as its first argument. */
    static MethodHandle function(String name, FunctionDescriptor descriptor, Linker.Option... options) {
        Linker.Option[] all = java.util.Arrays.copyOf(options, options.length + 1);
        all[options.length] = Linker.Option.captureCallState("errno");
        return LINKER.downcallHandle(LINKER.defaultLookup().findOrThrow(name), descriptor, all);
    }

    static MemorySegment callState(Arena arena) {
        return arena.allocate(CALL_STATE);
    }

    /** Returns {@code result} unless it is negative, the libc convention for failure. */
    static int checked(int result, MemorySegment callState, String what) throws LibcException {
        if (result >= 0) {
            return result;
        }
        int errno = (int) ERRNO.get(callState, 0L);
        throw new LibcException(errno, what, strerror(errno));
    }

    static int open(String path, int flags) throws LibcException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = callState(arena);
            return checked((int) OPEN.invokeExact(state, arena.allocateFrom(path), flags), state, "open " + path);
        } catch (LibcException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("calling open", t);
        }
    }

    /** Errors are not reported: Linux frees the descriptor even when close fails. */
    static void close(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            int unused = (int) CLOSE.invokeExact(callState(arena), fd);
        } catch (Throwable t) {
            throw new IllegalStateException("calling close", t);
        }
    }

    private static String strerror(int errno) {
        try {
            MemorySegment text = (MemorySegment) STRERROR.invokeExact(errno);
            return text.reinterpret(256).getString(0);
        } catch (Throwable t) {
            return "errno " + errno;
        }
    }

    /** A libc call failed; {@link #errno()} and {@link #reason()} say how. */
    static final class LibcException extends IOException {
        private final int errno;
        private final String reason;

        LibcException(int errno, String call, String reason) {
            super(call + ": " + reason);
            this.errno = errno;
            this.reason = reason;
        }

        int errno() {
            return errno;
        }

        /** errno as text, e.g. "No such file or directory". */
        String reason() {
            return reason;
        }
    }
}
