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
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * The few libc calls the JDK has no API for: a listening Unix socket as a plain descriptor, and
 * posix_spawn with that descriptor as the new process's stdin, in a new session (what
 * containerd's shim protocol wants, and what ProcessBuilder cannot do). Linux glibc constants.
 */
final class Libc {

    static final int AF_UNIX = 1;
    static final int SOCK_STREAM = 1;
    static final int SOCK_NONBLOCK = 0x800;
    static final int SOCK_CLOEXEC = 0x80000;
    static final int O_RDWR = 2;
    static final int O_WRONLY = 1;
    static final int O_NONBLOCK = 0x800;
    static final int O_CLOEXEC = 0x80000;
    static final int F_GETFL = 3;
    static final int F_SETFL = 4;
    static final int EADDRINUSE = 98;
    private static final short POSIX_SPAWN_SETSIGMASK = 0x08;
    private static final short POSIX_SPAWN_SETSID = 0x80;
    /** glibc's posix_spawn_file_actions_t is 80 bytes, posix_spawnattr_t 336, sigset_t 128: room to spare. */
    private static final long OPAQUE_SIZE = 512;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CAPTURED = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURED.varHandle(StructLayout.PathElement.groupElement("errno"));

    private static final MethodHandle SOCKET = withErrno("socket", 0, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT);
    private static final MethodHandle BIND = withErrno("bind", 0, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT);
    private static final MethodHandle LISTEN = withErrno("listen", 0, JAVA_INT, JAVA_INT, JAVA_INT);
    private static final MethodHandle OPEN = withErrno("open", 2, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT);
    private static final MethodHandle FCNTL = withErrno("fcntl", 2, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT);
    private static final MethodHandle CLOSE = withErrno("close", 0, JAVA_INT, JAVA_INT);
    private static final MethodHandle STRERROR = plain("strerror", ADDRESS, JAVA_INT);

    private static final MethodHandle FILE_ACTIONS_INIT = plain("posix_spawn_file_actions_init", JAVA_INT, ADDRESS);
    private static final MethodHandle FILE_ACTIONS_DESTROY = plain("posix_spawn_file_actions_destroy", JAVA_INT, ADDRESS);
    private static final MethodHandle FILE_ACTIONS_DUP2 =
            plain("posix_spawn_file_actions_adddup2", JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT);
    private static final MethodHandle FILE_ACTIONS_CLOSEFROM =
            plain("posix_spawn_file_actions_addclosefrom_np", JAVA_INT, ADDRESS, JAVA_INT);
    private static final MethodHandle ATTR_INIT = plain("posix_spawnattr_init", JAVA_INT, ADDRESS);
    private static final MethodHandle ATTR_DESTROY = plain("posix_spawnattr_destroy", JAVA_INT, ADDRESS);
    private static final MethodHandle ATTR_SETFLAGS = plain("posix_spawnattr_setflags", JAVA_INT, ADDRESS, JAVA_SHORT);
    private static final MethodHandle ATTR_SETSIGMASK = plain("posix_spawnattr_setsigmask", JAVA_INT, ADDRESS, ADDRESS);
    private static final MethodHandle SPAWN = plain("posix_spawn", JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS);

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

    static void close(int fd) {
        try {
            withErrno(CLOSE, "close", fd);
        } catch (ErrnoException e) {
            // Nothing to do about it: the descriptor is gone either way (close(2) on Linux).
        }
    }

    /**
     * Starts {@code argv} with {@code stdio} as its descriptors 0, 1 and 2 and nothing else open,
     * in a new session (so it outlives us and our process group), with all signals unblocked.
     * Returns its pid; the caller must not wait for it.
     */
    static long spawnDetached(List<String> argv, List<String> environment, int[] stdio) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment actions = arena.allocate(OPAQUE_SIZE);
            MemorySegment attributes = arena.allocate(OPAQUE_SIZE);
            MemorySegment emptySignalSet = arena.allocate(OPAQUE_SIZE);
            MemorySegment pid = arena.allocate(JAVA_INT);
            spawnCall(FILE_ACTIONS_INIT, "posix_spawn_file_actions_init", actions);
            spawnCall(ATTR_INIT, "posix_spawnattr_init", attributes);
            try {
                for (int target = 0; target < stdio.length; target++) {
                    spawnCall(FILE_ACTIONS_DUP2, "posix_spawn_file_actions_adddup2", actions, stdio[target], target);
                }
                spawnCall(FILE_ACTIONS_CLOSEFROM, "posix_spawn_file_actions_addclosefrom_np", actions, stdio.length);
                spawnCall(ATTR_SETFLAGS, "posix_spawnattr_setflags", attributes,
                        (short) (POSIX_SPAWN_SETSID | POSIX_SPAWN_SETSIGMASK));
                spawnCall(ATTR_SETSIGMASK, "posix_spawnattr_setsigmask", attributes, emptySignalSet);
                spawnCall(SPAWN, "posix_spawn " + argv.getFirst(), pid, arena.allocateFrom(argv.getFirst()),
                        actions, attributes, strings(arena, argv), strings(arena, environment));
                return pid.get(JAVA_INT, 0);
            } finally {
                spawnCall(ATTR_DESTROY, "posix_spawnattr_destroy", attributes);
                spawnCall(FILE_ACTIONS_DESTROY, "posix_spawn_file_actions_destroy", actions);
            }
        }
    }

    /** A NULL-terminated char*[]. */
    private static MemorySegment strings(Arena arena, List<String> values) {
        MemorySegment array = arena.allocate(ADDRESS, values.size() + 1);
        for (int i = 0; i < values.size(); i++) {
            array.setAtIndex(ADDRESS, i, arena.allocateFrom(values.get(i)));
        }
        array.setAtIndex(ADDRESS, values.size(), MemorySegment.NULL);
        return array;
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

    /** Calls one of the posix_spawn family, which return the error number instead of setting errno. */
    private static void spawnCall(MethodHandle function, String what, Object... arguments) throws ErrnoException {
        int result;
        try {
            result = (int) function.invokeWithArguments(arguments);
        } catch (Throwable t) {
            throw new IllegalStateException(what, t);
        }
        if (result != 0) {
            throw new ErrnoException(what + ": " + strerror(result), result);
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
