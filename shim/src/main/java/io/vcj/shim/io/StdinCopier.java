package io.vcj.shim.io;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Copies what containerd writes into the stdin FIFO to the process, and closes the process's stdin
 * at end of file or when the copy is cancelled.
 *
 * <p>Both ends are opened at once, so nothing blocks and a FIFO containerd removes early does not
 * matter: the shim's own write end (the keeper) makes the read-only open return. The keeper is let go
 * once containerd's first bytes arrive, or on CloseIO, so that containerd closing its end is then seen
 * as end of file. Cancelling closes the FIFO under the copier rather than interrupting it, so a write
 * to the process in progress completes and the process's stdin still gets closed.
 */
final class StdinCopier {
    private static final Logger log = LogManager.getLogger(StdinCopier.class);
    private static final int BUFFER = 32 * 1024;

    private final String name;
    private final FileChannel fifo;
    private FileChannel keeper;
    private boolean started;

    private StdinCopier(String name, FileChannel fifo, FileChannel keeper) {
        this.name = name;
        this.fifo = fifo;
        this.keeper = keeper;
    }

    static StdinCopier open(String name, Path source) throws IOException {
        FileChannel keeper = FileChannel.open(source, StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            return new StdinCopier(name, FileChannel.open(source, StandardOpenOption.READ), keeper);
        } catch (IOException e) {
            keeper.close();
            throw e;
        }
    }

    synchronized void start(OutputStream processStdin) {
        started = true;
        Thread.ofPlatform().daemon().name("copy-" + name).start(() -> {
            try {
                copy(processStdin);
            } finally {
                closeQuietly(fifo);
                closeQuietly(processStdin);
                releaseKeeper();
            }
        });
    }

    private void copy(OutputStream processStdin) {
        try {
            ByteBuffer buffer = ByteBuffer.allocate(BUFFER);
            while (fifo.read(buffer) >= 0) {
                releaseKeeper();
                processStdin.write(buffer.array(), 0, buffer.position());
                buffer.clear();
            }
        } catch (ClosedChannelException e) {
            log.debug("{}: cancelled", name);
        } catch (IOException | RuntimeException e) {
            log.warn("{}: copying stdin failed: {}", name, e.toString());
        }
    }

    /**
     * CloseIO: end of file as soon as containerd's end is closed (containerd asks this just before it
     * closes it), and the copy cancelled after {@code grace} if containerd keeps its end open.
     */
    void finishWithin(Duration grace) {
        releaseKeeper();
        CompletableFuture.delayedExecutor(grace.toMillis(), TimeUnit.MILLISECONDS).execute(this::cancel);
    }

    /** Stops copying; the copier closes the process's stdin as it ends. Returns at once. */
    synchronized void cancel() {
        closeQuietly(fifo);
        if (!started) {
            releaseKeeper();
        }
    }

    private synchronized void releaseKeeper() {
        if (keeper != null) {
            closeQuietly(keeper);
            keeper = null;
        }
    }

    private void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            log.debug("{}: closing {}: {}", name, closeable, e.toString());
        }
    }
}
