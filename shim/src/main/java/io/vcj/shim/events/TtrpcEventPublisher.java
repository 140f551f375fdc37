package io.vcj.shim.events;

import com.google.protobuf.Any;
import com.google.protobuf.Message;
import com.google.protobuf.Timestamp;
import io.vcj.shim.proto.events.Envelope;
import io.vcj.shim.proto.events.EventsTtrpcClient;
import io.vcj.shim.proto.events.ForwardRequest;
import io.vcj.ttrpc.CallOptions;
import io.vcj.ttrpc.TtrpcClient;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Forwards events to containerd's {@code containerd.services.events.ttrpc.v1.Events} service, as
 * upstream shims do: 5 s per Forward, a new connection after a failure, retries with a back-off
 * growing by one step per attempt, and the event dropped after 5 retries.
 *
 * <p>Unlike upstream, a failing event is retried in place rather than requeued behind later ones: one
 * sender thread delivers the queue strictly in publish order, so containerd never sees a task's exit
 * before its start.
 */
public final class TtrpcEventPublisher implements EventPublisher {
    static final int MAX_RETRIES = 5;
    private static final Duration FORWARD_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration DRAIN_ON_CLOSE = Duration.ofSeconds(10);
    private static final Logger log = LogManager.getLogger(TtrpcEventPublisher.class);
    private static final Envelope STOP = Envelope.getDefaultInstance();

    private final Path address;
    private final String namespace;
    private final Duration backoffStep;
    private final BlockingQueue<Envelope> queue = new LinkedBlockingQueue<>();
    private final Thread sender;
    private volatile boolean closed;
    private TtrpcClient connection;

    /** Publishes to containerd at {@code TTRPC_ADDRESS} ({@code unix://} prefix optional), for {@code namespace}. */
    public TtrpcEventPublisher(String ttrpcAddress, String namespace) {
        this(ttrpcAddress, namespace, Duration.ofSeconds(1));
    }

    TtrpcEventPublisher(String ttrpcAddress, String namespace, Duration backoffStep) {
        this.address = Path.of(ttrpcAddress.startsWith("unix://") ? ttrpcAddress.substring(7) : ttrpcAddress);
        this.namespace = namespace;
        this.backoffStep = backoffStep;
        this.sender = Thread.ofPlatform().daemon().name("event-publisher").start(this::sendAll);
    }

    @Override
    public void publish(String topic, Message event) {
        if (closed) {
            log.warn("event {} published after close, dropped", topic);
            return;
        }
        queue.add(Envelope.newBuilder()
                .setTimestamp(now())
                .setNamespace(namespace)
                .setTopic(topic)
                .setEvent(Any.newBuilder()
                        .setTypeUrl(event.getDescriptorForType().getFullName())
                        .setValue(event.toByteString()))
                .build());
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        queue.add(STOP);
        try {
            sender.join(DRAIN_ON_CLOSE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sender.interrupt();
        disconnect();
    }

    private void sendAll() {
        try {
            for (Envelope envelope = queue.take(); envelope != STOP; envelope = queue.take()) {
                deliver(envelope);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void deliver(Envelope envelope) throws InterruptedException {
        for (int attempt = 0; ; attempt++) {
            try {
                forward(envelope);
                return;
            } catch (RuntimeException | IOException e) {
                disconnect();
                if (attempt == MAX_RETRIES) {
                    log.error("dropping event {} after {} retries: {}", envelope.getTopic(), MAX_RETRIES, e.toString());
                    return;
                }
                log.warn("forwarding event {} failed, retrying: {}", envelope.getTopic(), e.toString());
                TimeUnit.NANOSECONDS.sleep(backoffStep.multipliedBy(attempt + 1).toNanos());
            }
        }
    }

    private void forward(Envelope envelope) throws IOException {
        if (connection == null || !connection.isOpen()) {
            connection = TtrpcClient.connect(address);
        }
        EventsTtrpcClient.of(connection, CallOptions.DEFAULT.withTimeout(FORWARD_TIMEOUT))
                .forward(ForwardRequest.newBuilder().setEnvelope(envelope).build());
    }

    private void disconnect() {
        TtrpcClient current = connection;
        connection = null;
        if (current != null) {
            current.close();
        }
    }

    private static Timestamp now() {
        Instant now = Instant.now();
        return Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()).build();
    }
}
