package io.vcj.kata.guest.container;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;

/**
 * An input stream whose reads run on a platform thread of its own while the caller waits, for a
 * process's pipes and pty master. A read(2) that blocks holds its virtual thread's carrier. The
 * JDK makes up for a blocked carrier with an extra one, but retires that extra carrier once it
 * has idled for 30 s and starts no other while the blocked ones fill the scheduler's parallelism
 * (one carrier on a one-vCPU guest): a container quiet on stdout and stderr for half a minute
 * left the agent with no carrier, and every later call (exec, kill) went unanswered. Waiting for
 * the reader's result, on the other hand, frees the carrier.
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
        Future<Integer> read;
        try {
            read = reader.submit(() -> in.read(b, off, len));
        } catch (RejectedExecutionException e) {
            return -1; // the stream ended or was closed
        }
        try {
            int n = read.get();
            if (n < 0) {
                // A finished exec is kept until its container goes; its reader thread need not be.
                reader.shutdown();
            }
            return n;
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
