package io.vcj.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Any;
import com.google.protobuf.Timestamp;
import io.vcj.shim.proto.events.Envelope;
import io.vcj.shim.proto.events.EventsTtrpcClient;
import io.vcj.shim.proto.events.ForwardRequest;
import io.vcj.shim.proto.events.TaskOOM;
import io.vcj.ttrpc.StatusCode;
import io.vcj.ttrpc.TtrpcClient;
import io.vcj.ttrpc.TtrpcException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Our ttrpc client, generated stub and protos against containerd's real event service: the path
 * a shim publishes its task events on.
 */
class EventsForwardIT {

  @BeforeEach
  void needsContainerd() {
    HostRequirements.assumeRootWithContainerd();
  }

  @Test
  void forwardedTaskOomShowsUpInCtrEvents() throws Exception {
    try (Containerd containerd = Containerd.start();
        TtrpcClient connection = TtrpcClient.connect(containerd.ttrpcAddress())) {
      CtrEvents events = containerd.events();

      EventsTtrpcClient.of(connection).forward(forward(containerd.namespace(), "/tasks/oom", oom("vcj-oom-victim")));

      String line = events.awaitOrThrow(l -> l.contains("/tasks/oom"), Duration.ofSeconds(30));
      // <date> <time> <zone> <zone name> <namespace> <topic> <event JSON>, the JSON decoded by ctr
      // from our Any, so type_url and payload bytes were understood.
      List<String> fields = List.of(line.split(" "));
      assertTrue(fields.contains(containerd.namespace()), line);
      assertEquals("/tasks/oom", fields.get(fields.indexOf(containerd.namespace()) + 1), line);
      assertTrue(line.endsWith("{\"container_id\":\"vcj-oom-victim\"}"), line);
    }
  }

  @Test
  void containerdRejectsEnvelopesWithoutTopicOrTimestamp() throws Exception {
    try (Containerd containerd = Containerd.start();
        TtrpcClient connection = TtrpcClient.connect(containerd.ttrpcAddress())) {
      EventsTtrpcClient events = EventsTtrpcClient.of(connection);
      ForwardRequest noTopic = forward(containerd.namespace(), "", oom("x"));
      ForwardRequest noTimestamp = noTopic.toBuilder()
          .setEnvelope(noTopic.getEnvelope().toBuilder().setTopic("/tasks/oom").clearTimestamp())
          .build();

      TtrpcException topicError = assertThrows(TtrpcException.class, () -> events.forward(noTopic));
      TtrpcException timestampError = assertThrows(TtrpcException.class, () -> events.forward(noTimestamp));

      assertEquals(StatusCode.INVALID_ARGUMENT, topicError.code());
      assertTrue(topicError.description().contains("must not be empty"), topicError::description);
      assertEquals(StatusCode.INVALID_ARGUMENT, timestampError.code());
      assertTrue(timestampError.description().contains("timestamp must be set"), timestampError::description);
    }
  }

  private static ForwardRequest forward(String namespace, String topic, Any event) {
    Instant now = Instant.now();
    return ForwardRequest.newBuilder()
        .setEnvelope(Envelope.newBuilder()
            .setTimestamp(Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()))
            .setNamespace(namespace)
            .setTopic(topic)
            .setEvent(event))
        .build();
  }

  /** typeurl's name for proto messages is the bare full name, no type.googleapis.com/ prefix. */
  private static Any oom(String containerId) {
    TaskOOM oom = TaskOOM.newBuilder().setContainerId(containerId).build();
    return Any.newBuilder()
        .setTypeUrl(oom.getDescriptorForType().getFullName())
        .setValue(oom.toByteString())
        .build();
  }
}
