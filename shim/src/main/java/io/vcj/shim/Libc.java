package io.vcj.shim;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * The few libc calls the JDK has no API for: a listening Unix socket as a plain descriptor (what
 * the ttrpc server serves on), dup2 to put the bundle's log FIFO in place of the stdio that
 * {@code start} answered containerd on, and flock on a directory. Linux glibc constants.
 */
final class Libc {

    static final int AF_UNIX = 1;
    static final int SOCK_STREAM = 1;
    static final int SOCK_NONBLOCK = 0x800;
    static final int SOCK_CLOEXEC = 0x80000;
    static final int O_RDONLY = 0;
    static final int O_RDWR = 2;
    static final int O_WRONLY = 1;
    static final int O_NONBLOCK = 0x800;
    static final int O_DIRECTORY = 0x10000;
    static final int O_CLOEXEC = 0x80000;
    static final int LOCK_EX = 2;
    static final int F_GETFL = 3;
    static final int F_SETFL = 4;
    static final int EADDRINUSE = 98;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CAPTURED = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURED.varHandle(StructLayout.PathElement.groupElement("errno"));

    private static final MethodHandle SOCKET = withErrno("socket", 0, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT);
    private static final MethodHandle BIND = withErrno("bind", 0, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT);
    private static final MethodHandle LISTEN = withErrno("listen", 0, JAVA_INT, JAVA_INT, JAVA_INT);
    private static final MethodHandle OPEN = withErrno("open", 2, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT);
    private static final MethodHandle FCNTL = withErrno("fcntl", 2, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT);
    private static final MethodHandle CLOSE = withErrno("close", 0, JAVA_INT, JAVA_INT);
    private static final MethodHandle DUP2 = withErrno("dup2", 0, JAVA_INT, JAVA_INT, JAVA_INT);
    private static final MethodHandle FLOCK = withErrno("flock", 0, JAVA_INT, JAVA_INT, JAVA_INT);
    private static final MethodHandle STRERROR = plain("strerror", ADDRESS, JAVA_INT);

    private Libc() {
    }

    static int socket(int domain, int type) throws ErrnoException {
        return withErrno(SOCKET, "socket", domain, type, 0);
    }

    static void bind(int fd, MemorySegment address, int length, String what) throws ErrnoException {
        withErrno(BIND, "bind " + what, fd, address, length);
    }

    static void listen(int fd, int backlog) throws ErrnoException {
        withErrno(LISTEN, "listen", fd, backlog);
    }

    static int open(String path, int flags) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            return withErrno(OPEN, "open " + path, arena.allocateFrom(path), flags, 0);
        }
    }

    static int fcntl(int fd, int command, int argument) throws ErrnoException {
        return withErrno(FCNTL, "fcntl", fd, command, argument);
    }

    /** Makes {@code target} a copy of {@code fd}, closing what {@code target} was first. */
    static void dup2(int fd, int target) throws ErrnoException {
        withErrno(DUP2, "dup2", fd, target);
    }

    static void flock(int fd, int operation) throws ErrnoException {
        withErrno(FLOCK, "flock", fd, operation);
    }

    static void close(int fd) {
        try {
            withErrno(CLOSE, "close", fd);
        } catch (ErrnoException e) {
            // Nothing to do about it: the descriptor is gone either way (close(2) on Linux).
        }
    }

    private static String strerror(int errno) {
        try {
            return ((MemorySegment) STRERROR.invokeExact(errno)).reinterpret(256).getString(0);
        } catch (Throwable t) {
            throw new IllegalStateException("strerror", t);
        }
    }

    /** Calls a function that returns -1 and sets errno on failure. */
    private static int withErrno(MethodHandle function, String what, Object... arguments) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment captured = arena.allocate(CAPTURED);
            List<Object> all = new ArrayList<>(arguments.length + 1);
            all.add(captured);
            all.addAll(List.of(arguments));
            int result = (int) function.invokeWithArguments(all);
            if (result < 0) {
                int errno = (int) ERRNO.get(captured, 0L);
                throw new ErrnoException(what + ": " + strerror(errno), errno);
            }
            return result;
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(what, t);
        }
    }

    private static MethodHandle plain(String name, ValueLayout result, ValueLayout... arguments) {
        return LINKER.downcallHandle(symbol(name), FunctionDescriptor.of(result, arguments));
    }

    /** {@code firstVariadic} > 0 for functions like open(2) and fcntl(2) declared with "...". */
    private static MethodHandle withErrno(String name, int firstVariadic, ValueLayout result, ValueLayout... arguments) {
        Linker.Option errno = Linker.Option.captureCallState("errno");
        FunctionDescriptor descriptor = FunctionDescriptor.of(result, arguments);
        return firstVariadic > 0
                ? LINKER.downcallHandle(symbol(name), descriptor, errno, Linker.Option.firstVariadicArg(firstVariadic))
                : LINKER.downcallHandle(symbol(name), descriptor, errno);
    }

    private static MemorySegment symbol(String name) {
        return LINKER.defaultLookup().find(name).orElseThrow(() -> new UnsatisfiedLinkError("libc has no " + name));
    }

    /** A failed call, with its errno so callers can tell e.g. EADDRINUSE apart. */
    static final class ErrnoException extends IOException {
        private final int errno;

        ErrnoException(String message, int errno) {
            super(message);
            this.errno = errno;
        }

        int errno() {
            return errno;
        }
    }
}
