package io.vcj.ttrpc;

import io.netty.channel.Channel;
import io.vcj.ttrpc.frame.Frame;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Sends frames from any thread with one event-loop task and one flush per burst: callers and
 * handlers run off the event loop, and a hop plus a syscall per frame would dominate small calls.
 * Frames leave in the order {@link #send} was called.
 */
final class FrameWriter {

    private record Queued(Frame frame, Consumer<Throwable> onFailure) {
    }

    private static final Consumer<Throwable> IGNORE_FAILURE = cause -> { };

    private final Channel channel;
    private final Queue<Queued> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final Runnable drain = this::drain;

    FrameWriter(Channel channel) {
        this.channel = channel;
    }

    /** Queues a frame whose failure nobody needs to hear about (the peer is gone anyway). */
    void send(Frame frame) {
        send(frame, IGNORE_FAILURE);
    }

    /** Queues a frame; {@code onFailure} runs if it cannot be written. */
    void send(Frame frame, Consumer<Throwable> onFailure) {
        queue.add(new Queued(frame, onFailure));
        if (drainScheduled.compareAndSet(false, true)) {
            try {
                channel.eventLoop().execute(drain);
            } catch (RejectedExecutionException e) {
                failQueued(e);
            }
        }
    }

    private void drain() {
        drainScheduled.set(false);
        Queued q;
        while ((q = queue.poll()) != null) {
            Consumer<Throwable> onFailure = q.onFailure;
            if (onFailure == IGNORE_FAILURE) {
                channel.write(q.frame);
            } else {
                channel.write(q.frame).addListener(f -> {
                    if (!f.isSuccess()) {
                        onFailure.accept(f.cause());
                    }
                });
            }
        }
        channel.flush();
    }

    private void failQueued(Throwable cause) {
        Queued q;
        while ((q = queue.poll()) != null) {
            q.frame.release();
            q.onFailure.accept(cause);
        }
    }
}
