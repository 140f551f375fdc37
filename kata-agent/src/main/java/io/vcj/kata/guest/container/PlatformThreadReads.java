package io.vcj.kata.guest.container;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * An input stream whose reads run on a platform thread of its own while the caller waits. A read
 * of a pty master blocks in read(2) without the JDK compensating: a virtual thread doing it holds
 * its carrier, and in a one-vCPU guest the agent has a single carrier, so every other call (a
 * resize, a signal, another container's output) would wait until the process printed something.
 * Waiting for the reader's result, on the other hand, frees the carrier.
 */
final class PlatformThreadReads extends InputStream {
    private final InputStream in;
    private final ExecutorService reader;

    PlatformThreadReads(InputStream in, String threadName) {
        this.in = in;
        this.reader = Executors.newSingleThreadExecutor(Thread.ofPlatform().name(threadName).daemon().factory());
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Future<Integer> read = reader.submit(() -> in.read(b, off, len));
        try {
            return read.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while reading");
        }
    }

    /** Stops the reader thread; the stream underneath belongs to whoever opened it. */
    @Override
    public void close() {
        reader.shutdownNow();
    }
}
