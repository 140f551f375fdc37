package io.vcj.kata.guest.container;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;

/**
 * A platform thread of its own that runs a stream's blocking calls while the caller waits, for a
 * process's pipes and pty master. A read(2) or write(2) that blocks holds its virtual thread's
 * carrier. The JDK makes up for a blocked carrier with an extra one, but retires that extra
 * carrier once it has idled for 30 s and starts no other while the blocked ones fill the
 * scheduler's parallelism (one carrier on a one-vCPU guest): a container quiet on stdout and
 * stderr for half a minute, or one not reading the stdin it was sent, left the agent with no
 * carrier, and every later call (exec, kill) went unanswered. Waiting for the platform thread's
 * result, on the other hand, frees the carrier.
 */
final class PlatformThreadCalls {

    /** A call on a thread that was ended: the stream it served is done. */
    static final class Ended extends IOException {
        Ended(String threadName) {
            super("the stream served by " + threadName + " is closed");
        }
    }

    interface BlockingCall<T> {
        T call() throws IOException;
    }

    private final String threadName;
    private final ExecutorService thread;

    PlatformThreadCalls(String threadName) {
        this.threadName = threadName;
        // The thread starts with the first call: a stdin never written costs none.
        this.thread = Executors.newSingleThreadExecutor(Thread.ofPlatform().name(threadName).daemon().factory());
    }

    <T> T call(BlockingCall<T> call) throws IOException {
        Future<T> result;
        try {
            result = thread.submit(call::call);
        } catch (RejectedExecutionException e) {
            throw new Ended(threadName);
        }
        try {
            return result.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for " + threadName);
        }
    }

    /** The thread ends once the call under way returns; later calls throw {@link Ended}. */
    void end() {
        thread.shutdown();
    }

    /** The thread ends now, a call under way interrupted. */
    void stop() {
        thread.shutdownNow();
    }
}
