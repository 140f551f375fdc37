package io.vcj.netns;

import io.vcj.vc.VcException;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * Runs work inside a network namespace. A namespace belongs to a thread, not to the process, so
 * the work runs on a fresh platform thread that joins the namespace and dies afterwards. Sockets
 * or tun devices the work opens belong to that namespace. The work must start no process: threads
 * the JDK creates meanwhile would stay in the namespace (see {@link NetCommand#in}).
 */
final class NetnsThread {
    private static final int CLONE_NEWNET = 0x40000000;
    private static final MethodHandle SETNS = Libc.function("setns", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));

    private NetnsThread() {
    }

    /**
     * Runs {@code work} in the network namespace at {@code netns} and returns its result.
     *
     * @throws VcException.InvalidArgument if {@code netns} is missing or is not a network namespace
     */
    static <T> T call(Path netns, Callable<T> work) {
        FutureTask<T> task = new FutureTask<>(() -> {
            join(netns);
            return work.call();
        });
        Thread thread = Thread.ofPlatform().name("netns " + netns).start(task);
        try {
            return task.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            thread.interrupt();
            throw new NetnsException("interrupted while working in network namespace " + netns, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new NetnsException(e.getCause().getMessage(), e.getCause());
        }
    }

    private static void join(Path netns) throws Libc.LibcException {
        int fd;
        try {
            fd = Libc.open(netns.toString(), Libc.O_RDONLY | Libc.O_CLOEXEC);
        } catch (Libc.LibcException e) {
            throw new VcException.InvalidArgument("network namespace " + netns + ": " + e.reason());
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Libc.callState(arena);
            Libc.checked((int) SETNS.invokeExact(state, fd, CLONE_NEWNET), state, "setns " + netns);
        } catch (Libc.LibcException e) {
            if (e.errno() == Libc.EINVAL) {
                throw new VcException.InvalidArgument(netns + " is not a network namespace");
            }
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("calling setns", t);
        } finally {
            Libc.close(fd);
        }
    }
}
