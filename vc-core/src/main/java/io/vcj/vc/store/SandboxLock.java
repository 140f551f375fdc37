package io.vcj.vc.store;

import io.vcj.vc.VcException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Exclusive access to one sandbox's state, across threads and processes. Re-entrant within a thread.
 *
 * <p>File locks belong to the whole JVM (a second lock on the same file throws), so the file lock is
 * taken once per JVM under a per-path thread lock.
 */
public final class SandboxLock implements AutoCloseable {
    private static final ConcurrentHashMap<Path, Holder> HOLDERS = new ConcurrentHashMap<>();

    private final Holder holder;

    private SandboxLock(Holder holder) {
        this.holder = holder;
    }

    /** Waits for the lock of the sandbox whose lock file is {@code lockFile}; NotFound if it is gone. */
    public static SandboxLock acquire(String sandboxId, Path lockFile) {
        Holder holder = HOLDERS.computeIfAbsent(lockFile.toAbsolutePath().normalize(), p -> new Holder());
        holder.thread.lock();
        try {
            if (holder.thread.getHoldCount() == 1) {
                holder.fileLock = lockFile(sandboxId, lockFile);
            }
            return new SandboxLock(holder);
        } catch (RuntimeException e) {
            holder.thread.unlock();
            throw e;
        }
    }

    // A waiter may get the lock of a file that was deleted (with its sandbox) meanwhile, while a new
    // sandbox with the same id already locks the new file: only a lock on the file still in place counts.
    private static FileLock lockFile(String sandboxId, Path lockFile) {
        try {
            while (true) {
                FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                try {
                    Object opened = fileKey(lockFile);
                    FileLock lock = channel.lock();
                    if (opened.equals(fileKey(lockFile))) {
                        return lock;
                    }
                    channel.close();
                } catch (IOException | RuntimeException e) {
                    channel.close();
                    throw e;
                }
            }
        } catch (NoSuchFileException e) {
            throw new VcException.NotFound("sandbox '" + sandboxId + "' not found");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock sandbox '" + sandboxId + "' (" + lockFile + ")", e);
        }
    }

    private static Object fileKey(Path file) throws IOException {
        return Files.readAttributes(file, BasicFileAttributes.class).fileKey();
    }

    @Override
    public void close() {
        try {
            if (holder.thread.getHoldCount() == 1) {
                holder.fileLock.channel().close();
                holder.fileLock = null;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot release sandbox lock", e);
        } finally {
            holder.thread.unlock();
        }
    }

    private static final class Holder {
        final ReentrantLock thread = new ReentrantLock();
        FileLock fileLock;
    }
}
