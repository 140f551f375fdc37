package io.vcj.netns;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * An empty network namespace vcj makes for a pod and keeps alive by bind-mounting it on a file, as
 * {@code ip netns add} does: a fresh platform thread unshares its network namespace and mounts
 * {@code /proc/thread-self/ns/net}, then dies. Unmounting the file frees the namespace once no
 * process (QEMU) is left in it; the kernel then deletes the links in it, and their veth peers.
 */
final class PersistentNamespace {
    private static final int CLONE_NEWNET = 0x40000000;
    private static final long MS_BIND = 0x1000;
    private static final int MNT_DETACH = 2;
    private static final MethodHandle UNSHARE = Libc.function("unshare", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle MOUNT = Libc.function("mount",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS));
    private static final MethodHandle UMOUNT2 = Libc.function("umount2", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));

    private PersistentNamespace() {
    }

    /** Makes the namespace at {@code path} unless one is mounted there already. */
    static void createIfAbsent(Path path) {
        if (isMounted(path)) {
            return;
        }
        try {
            Files.createDirectories(path.getParent());
            if (!Files.exists(path)) {
                Files.createFile(path);
            }
        } catch (IOException e) {
            throw new NetnsException("cannot create the network namespace file " + path, e);
        }
        FutureTask<Void> task = new FutureTask<>(() -> {
            unshareAndMount(path);
            return null;
        });
        Thread.ofPlatform().name("new netns " + path).start(task);
        try {
            task.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NetnsException("interrupted while creating network namespace " + path, e);
        } catch (ExecutionException e) {
            throw new NetnsException("cannot create network namespace " + path + ": " + e.getCause().getMessage(), e.getCause());
        }
    }

    /** Unmounts and deletes the file; a path that is neither mounted nor present is fine. */
    static void remove(Path path) {
        if (isMounted(path)) {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment state = Libc.callState(arena);
                Libc.checked((int) UMOUNT2.invokeExact(state, arena.allocateFrom(path.toString()), MNT_DETACH),
                        state, "umount " + path);
            } catch (Libc.LibcException e) {
                throw new NetnsException(e.getMessage(), e);
            } catch (Throwable t) {
                throw new IllegalStateException("calling umount2", t);
            }
        }
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            throw new NetnsException("cannot delete the network namespace file " + path, e);
        }
    }

    private static void unshareAndMount(Path path) throws Libc.LibcException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Libc.callState(arena);
            Libc.checked((int) UNSHARE.invokeExact(state, CLONE_NEWNET), state, "unshare(CLONE_NEWNET)");
            Libc.checked((int) MOUNT.invokeExact(state, arena.allocateFrom("/proc/thread-self/ns/net"),
                    arena.allocateFrom(path.toString()), MemorySegment.NULL, MS_BIND, MemorySegment.NULL),
                    state, "bind mount of the new network namespace on " + path);
        } catch (Libc.LibcException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("calling unshare or mount", t);
        }
    }

    /** Whether something is mounted on {@code path}, per this process's mount table. */
    static boolean isMounted(Path path) {
        String target = path.toAbsolutePath().normalize().toString();
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/self/mountinfo"));
            return lines.stream().map(line -> line.split(" ")[4]).map(PersistentNamespace::unescape).anyMatch(target::equals);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read /proc/self/mountinfo", e);
        }
    }

    /** mountinfo writes space, tab, newline and backslash in paths as octal escapes. */
    private static String unescape(String field) {
        return field.replace("\\040", " ").replace("\\011", "\t").replace("\\012", "\n").replace("\\134", "\\");
    }
}
