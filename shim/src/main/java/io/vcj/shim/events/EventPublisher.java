package io.vcj.shim.events;

import com.google.protobuf.Message;

/**
 * Sends task events to containerd. {@link #publish} never blocks and keeps the order of the calls:
 * events of one task reach containerd in the order they were published.
 */
public interface EventPublisher extends AutoCloseable {

    /** Queues {@code event} under {@code topic} (e.g. {@code /tasks/exit}). */
    void publish(String topic, Message event);

    /** Stops accepting events and tries to deliver those still queued, for a bounded time. */
    @Override
    void close();
}
