package io.vcj.shim.io;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Copies what containerd writes into the stdin FIFO to the process, and closes the process's stdin
 * once the FIFO reaches end of file (every writer closed it) or the copy is cancelled.
 *
 * <p>The FIFO is opened read-only so that containerd closing its end is seen as end of file; that
 * open blocks until a writer appears, so it happens on the copier's own thread. Cancelling closes
 * the FIFO under the copier rather than interrupting it, so a write to the process in progress
 * completes and the process's stdin still gets closed.
 */
final class StdinCopier {
    private static final Logger log = LogManager.getLogger(StdinCopier.class);
    private static final int BUFFER = 32 * 1024;

    private final String name;
    private final Path source;
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private boolean started;
    private boolean cancelled;
    private FileChannel fifo;

    StdinCopier(String name, Path source) {
        this.name = name;
        this.source = source;
    }

    synchronized void start(OutputStream processStdin) {
        started = true;
        Thread.ofPlatform().daemon().name("copy-" + name).start(() -> {
            try {
                copy(processStdin);
            } finally {
                closeQuietly(processStdin);
                done.complete(null);
            }
        });
    }

    private void copy(OutputStream processStdin) {
        try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ)) {
            if (!opened(in)) {
                return;
            }
            ByteBuffer buffer = ByteBuffer.allocate(BUFFER);
            while (in.read(buffer) >= 0) {
                processStdin.write(buffer.array(), 0, buffer.position());
                buffer.clear();
            }
        } catch (AsynchronousCloseException e) {
            log.debug("{}: cancelled", name);
        } catch (IOException | RuntimeException e) {
            log.warn("{}: copying stdin failed: {}", name, e.toString());
        }
    }

    private synchronized boolean opened(FileChannel in) {
        fifo = in;
        return !cancelled;
    }

    /**
     * Lets the copy run until end of file for at most {@code grace}, then cancels it. containerd asks
     * this (CloseIO) before it closes its own end, so an immediate cancel could lose bytes in flight.
     */
    void finishWithin(Duration grace) {
        CompletableFuture.delayedExecutor(grace.toMillis(), TimeUnit.MILLISECONDS).execute(this::cancel);
    }

    /** Stops copying; the process's stdin is closed by the copier as it ends. Returns at once. */
    synchronized void cancel() {
        if (!started || cancelled || done.isDone()) {
            return;
        }
        cancelled = true;
        if (fifo != null) {
            closeQuietly(fifo);
            return;
        }
        // Still opening the FIFO, which only a writer ends: be one until the copier has seen the cancel.
        try {
            FileChannel writer = FileChannel.open(source, StandardOpenOption.READ, StandardOpenOption.WRITE);
            done.whenComplete((ignored, failure) -> closeQuietly(writer));
        } catch (IOException e) {
            log.warn("{}: cannot open {} to end the copier: {}", name, source, e.toString());
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
