package io.vcj.ttrpc;

import io.netty.channel.Channel;
import io.vcj.ttrpc.frame.Frame;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Sends frames from any thread with one event-loop task and one flush per burst: callers and
 * handlers run off the event loop, and a hop plus a syscall per frame would dominate small calls.
 * Frames leave in the order {@link #send} was called.
 *
 * <p>Writes carry no per-frame promise: a write can only fail because the connection broke,
 * which the pipeline hears about anyway (the connection handlers then fail or abandon every
 * call on it).
 */
final class FrameWriter {

    private final Channel channel;
    private final Queue<Frame> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final Runnable drain = this::drain;

    FrameWriter(Channel channel) {
        this.channel = channel;
    }

    void send(Frame frame) {
        queue.add(frame);
        if (drainScheduled.compareAndSet(false, true)) {
            try {
                channel.eventLoop().execute(drain);
            } catch (RejectedExecutionException e) {
                // the channel's event loop is gone, so is the connection: drop what is queued
                Frame f;
                while ((f = queue.poll()) != null) {
                    f.release();
                }
            }
        }
    }

    private void drain() {
        drainScheduled.set(false);
        boolean open = channel.isActive();
        Frame frame;
        while ((frame = queue.poll()) != null) {
            if (open) {
                channel.write(frame, channel.voidPromise());
            } else {
                // e.g. a handler's late reply to a peer that has left
                frame.release();
            }
        }
        if (open) {
            channel.flush();
        }
    }
}
