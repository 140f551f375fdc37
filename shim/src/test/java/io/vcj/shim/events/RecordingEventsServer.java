package io.vcj.shim.events;

import com.google.protobuf.Empty;
import io.vcj.shim.proto.events.Envelope;
import io.vcj.shim.proto.events.EventsTtrpcService;
import io.vcj.shim.proto.events.ForwardRequest;
import io.vcj.ttrpc.StatusCode;
import io.vcj.ttrpc.TtrpcException;
import io.vcj.ttrpc.TtrpcServer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/** containerd's Events service as a test sees it: records every forwarded envelope, can refuse some first. */
public final class RecordingEventsServer implements AutoCloseable {
    private final TtrpcServer server = new TtrpcServer();
    private final List<Envelope> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger refusals = new AtomicInteger();
    private final Path socket;

    public RecordingEventsServer(Path socket) throws IOException {
        this.socket = socket;
        server.register(new EventsTtrpcService() {
            @Override
            public Empty forward(ForwardRequest request) {
                if (refusals.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                    throw new TtrpcException(StatusCode.UNAVAILABLE, "refused by the test");
                }
                received.add(request.getEnvelope());
                return Empty.getDefaultInstance();
            }
        });
        server.listen(socket);
    }

    public String address() {
        return socket.toString();
    }

    /** The next {@code count} Forward calls fail. */
    public void refuseNext(int count) {
        refusals.set(count);
    }

    public List<Envelope> received() {
        return List.copyOf(received);
    }

    public List<String> topics() {
        return received.stream().map(Envelope::getTopic).toList();
    }

    /** Blocks until an envelope matching {@code condition} arrived (the test's timeout bounds this). */
    public void awaitEvent(Predicate<Envelope> condition) throws InterruptedException {
        while (received.stream().noneMatch(condition)) {
            TimeUnit.MILLISECONDS.sleep(10);
        }
    }

    public void awaitTopic(String topic) throws InterruptedException {
        awaitEvent(e -> e.getTopic().equals(topic));
    }

    @Override
    public void close() {
        server.close();
    }
}
