package io.vcj.ttrpc.transport;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * Sets O_NONBLOCK on a descriptor through fcntl(2) (FFM; Netty has no API for it). Netty's epoll
 * loop accepts until EAGAIN, so an inherited listening socket left blocking would park the event
 * loop in accept(2) once the pending connections are taken. Linux constants.
 */
final class NonBlocking {

    private static final int F_GETFL = 3;
    private static final int F_SETFL = 4;
    private static final int O_NONBLOCK = 0x800;

    private static final StructLayout CAPTURED = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURED.varHandle(StructLayout.PathElement.groupElement("errno"));
    private static final MethodHandle FCNTL = Linker.nativeLinker().downcallHandle(
            Linker.nativeLinker().defaultLookup().find("fcntl").orElseThrow(() -> new UnsatisfiedLinkError("libc has no fcntl")),
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT),
            Linker.Option.captureCallState("errno"), Linker.Option.firstVariadicArg(2));

    private NonBlocking() {
    }

    static void set(int fd) throws IOException {
        int flags = fcntl(fd, F_GETFL, 0);
        if ((flags & O_NONBLOCK) == 0) {
            fcntl(fd, F_SETFL, flags | O_NONBLOCK);
        }
    }

    private static int fcntl(int fd, int command, int argument) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment captured = arena.allocate(CAPTURED);
            int result;
            try {
                result = (int) FCNTL.invokeExact(captured, fd, command, argument);
            } catch (Throwable t) {
                throw new IllegalStateException("fcntl", t);
            }
            if (result < 0) {
                throw new IOException("fcntl on file descriptor " + fd + ": errno " + (int) ERRNO.get(captured, 0L));
            }
            return result;
        }
    }
}
