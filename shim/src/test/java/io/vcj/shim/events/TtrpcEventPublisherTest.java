package io.vcj.shim.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.vcj.shim.proto.events.Envelope;
import io.vcj.shim.proto.events.TaskOOM;
import io.vcj.shim.proto.events.TaskStart;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

@Timeout(60)
class TtrpcEventPublisherTest {
    private static final Duration FAST_BACKOFF = Duration.ofMillis(1);

    @TempDir
    Path tmp;

    @Test
    void forwardsEnvelopesAsContainerdExpectsThem() throws Exception {
        try (var containerd = new RecordingEventsServer(tmp.resolve("events.sock"));
             var publisher = new TtrpcEventPublisher("unix://" + containerd.address(), "k8s.io")) {
            publisher.publish("/tasks/start", TaskStart.newBuilder().setContainerId("c1").setPid(42).build());
            containerd.awaitTopic("/tasks/start");

            Envelope envelope = containerd.received().getFirst();
            assertEquals("k8s.io", envelope.getNamespace());
            assertEquals("containerd.events.TaskStart", envelope.getEvent().getTypeUrl());
            assertEquals(42, TaskStart.parseFrom(envelope.getEvent().getValue()).getPid());
            assertNotEquals(0, envelope.getTimestamp().getSeconds());
        }
    }

    @Test
    void retriesAFailedEventBeforeAnyLaterOne() throws Exception {
        try (var containerd = new RecordingEventsServer(tmp.resolve("events.sock"));
             var publisher = new TtrpcEventPublisher(containerd.address(), "default", FAST_BACKOFF)) {
            containerd.refuseNext(TtrpcEventPublisher.MAX_RETRIES);
            IntStream.range(0, 20).forEach(i -> publisher.publish("/tasks/oom",
                    TaskOOM.newBuilder().setContainerId("c" + i).build()));

            containerd.awaitEvent(e -> containerd.received().size() == 20);

            assertEquals(IntStream.range(0, 20).mapToObj(i -> "c" + i).toList(), containerIds(containerd));
        }
    }

    @Test
    void dropsAnEventAfterFiveRetriesAndGoesOn() throws Exception {
        try (var containerd = new RecordingEventsServer(tmp.resolve("events.sock"));
             var publisher = new TtrpcEventPublisher(containerd.address(), "default", FAST_BACKOFF)) {
            containerd.refuseNext(TtrpcEventPublisher.MAX_RETRIES + 1);
            publisher.publish("/tasks/oom", TaskOOM.newBuilder().setContainerId("lost").build());
            publisher.publish("/tasks/oom", TaskOOM.newBuilder().setContainerId("kept").build());

            containerd.awaitEvent(e -> true);
            publisher.close();

            assertEquals(List.of("kept"), containerIds(containerd));
        }
    }

    @Test
    void reconnectsWhenContainerdComesBack() throws Exception {
        Path socket = tmp.resolve("events.sock");
        var publisher = new TtrpcEventPublisher(socket.toString(), "default", Duration.ofMillis(50));
        try (publisher) {
            try (var first = new RecordingEventsServer(socket)) {
                publisher.publish("/tasks/oom", TaskOOM.newBuilder().setContainerId("before").build());
                first.awaitTopic("/tasks/oom");
            }
            java.nio.file.Files.deleteIfExists(socket);
            publisher.publish("/tasks/oom", TaskOOM.newBuilder().setContainerId("after").build());
            try (var second = new RecordingEventsServer(socket)) {
                second.awaitTopic("/tasks/oom");
                assertEquals(List.of("after"), containerIds(second));
            }
        }
    }

    @Test
    void closeDeliversWhatIsQueued() throws Exception {
        try (var containerd = new RecordingEventsServer(tmp.resolve("events.sock"))) {
            var publisher = new TtrpcEventPublisher(containerd.address(), "default", FAST_BACKOFF);
            IntStream.range(0, 50).forEach(i -> publisher.publish("/tasks/oom",
                    TaskOOM.newBuilder().setContainerId("c" + i).build()));

            publisher.close();

            assertEquals(50, containerd.received().size());
        }
    }

    private static List<String> containerIds(RecordingEventsServer containerd) {
        return containerd.received().stream().map(e -> {
            try {
                return TaskOOM.parseFrom(e.getEvent().getValue()).getContainerId();
            } catch (com.google.protobuf.InvalidProtocolBufferException x) {
                throw new IllegalStateException(x);
            }
        }).toList();
    }
}
