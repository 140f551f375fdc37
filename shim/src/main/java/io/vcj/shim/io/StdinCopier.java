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
 * once the FIFO reaches end of file (every writer closed it) or the copy is cancelled.
 *
 * <p>The FIFO is opened read-only so that containerd closing its end is seen as end of file; that
 * open blocks until a writer appears, so it happens on the copier's own thread.
 */
final class StdinCopier {
    private static final Logger log = LogManager.getLogger(StdinCopier.class);
    private static final int BUFFER = 32 * 1024;

    private final String name;
    private final Path source;
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private volatile boolean cancelled;
    private Thread thread;

    StdinCopier(String name, Path source) {
        this.name = name;
        this.source = source;
    }

    synchronized void start(OutputStream processStdin) {
        thread = Thread.ofPlatform().daemon().name("copy-" + name).start(() -> {
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
            ByteBuffer buffer = ByteBuffer.allocate(BUFFER);
            while (!cancelled && in.read(buffer) >= 0) {
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
     * Lets the copy run until end of file for at most {@code grace}, then cancels it. containerd asks
     * this (CloseIO) before it closes its own end, so an immediate cancel could lose bytes in flight.
     */
    void finishWithin(Duration grace) {
        CompletableFuture.delayedExecutor(grace.toMillis(), TimeUnit.MILLISECONDS).execute(this::cancel);
    }

    /** Stops copying and closes the process's stdin; returns at once. */
    synchronized void cancel() {
        if (thread == null || done.isDone() || cancelled) {
            return;
        }
        cancelled = true;
        thread.interrupt();
        // The copier may still be blocked opening the FIFO, which no interrupt ends: become a writer
        // for a moment so that open returns (and the next read sees the interrupt or end of file).
        try (FileChannel writer = FileChannel.open(source, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            log.debug("{}: unblocked the FIFO open with {}", name, writer);
        } catch (IOException e) {
            log.debug("{}: could not open {} to unblock the copier: {}", name, source, e.toString());
        }
    }

    private void closeQuietly(OutputStream processStdin) {
        try {
            processStdin.close();
        } catch (IOException | RuntimeException e) {
            log.debug("{}: closing the process's stdin: {}", name, e.toString());
        }
    }
}
