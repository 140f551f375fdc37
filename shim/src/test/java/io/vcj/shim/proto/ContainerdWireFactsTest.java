package io.vcj.shim.proto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import com.google.protobuf.Empty;
import com.google.protobuf.MessageLite;
import com.google.protobuf.Timestamp;
import io.vcj.shim.proto.events.Envelope;
import io.vcj.shim.proto.events.EventsServiceProto;
import io.vcj.shim.proto.events.TaskEventsProto;
import io.vcj.shim.proto.events.TaskExit;
import io.vcj.shim.proto.events.TaskOOM;
import io.vcj.shim.proto.task.CreateTaskRequest;
import io.vcj.shim.proto.task.DeleteResponse;
import io.vcj.shim.proto.task.ShimProto;
import io.vcj.shim.proto.task.StateResponse;
import io.vcj.shim.proto.task.WaitResponse;
import io.vcj.shim.proto.types.Mount;
import io.vcj.shim.proto.types.Status;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The bytes containerd 1.6 sends and expects, computed by hand from its .proto files. */
class ContainerdWireFactsTest {

  @Test
  void createTaskOptionsTravelAsField10() {
    var request = CreateTaskRequest.newBuilder()
        .setOptions(Any.newBuilder().setTypeUrl("x").setValue(ByteString.copyFrom(new byte[] {1})))
        .build();

    // tag (10 << 3 | 2) = 0x52, length 6, then Any{type_url=1:"x", value=2:0x01}
    assertBytes("52 06 0a 01 78 12 01 01", request);
  }

  @Test
  void rootfsMountsKeepTypeSourceTargetOptionsOrder() {
    var request = CreateTaskRequest.newBuilder()
        .addRootfs(Mount.newBuilder().setType("t").setSource("s").setTarget("g").addOptions("o"))
        .build();

    assertBytes("1a 0c 0a 01 74 12 01 73 1a 01 67 22 01 6f", request);
  }

  @Test
  void exitStatusesAreUnsignedVarints() {
    assertBytes("08 89 01", WaitResponse.newBuilder().setExitStatus(137).build());
    assertBytes("10 89 01", DeleteResponse.newBuilder().setExitStatus(137).build());
  }

  @Test
  void stateCarriesContainerdStatusEnumAsField4() {
    assertBytes("20 02", StateResponse.newBuilder().setStatus(Status.RUNNING).build());
    assertEquals("containerd.v1.types.Status", Status.getDescriptor().getFullName());
  }

  @Test
  void envelopeFieldsAreTimestampNamespaceTopicEvent() {
    var envelope = Envelope.newBuilder()
        .setTimestamp(Timestamp.newBuilder().setSeconds(1))
        .setNamespace("n")
        .setTopic("/t")
        .setEvent(Any.newBuilder().setTypeUrl("e"))
        .build();

    assertBytes("0a 02 08 01 12 01 6e 1a 02 2f 74 22 03 0a 01 65", envelope);
  }

  @Test
  void taskExitFieldsMatchContainerd() {
    var exit = TaskExit.newBuilder()
        .setContainerId("c").setId("i").setPid(2).setExitStatus(3)
        .setExitedAt(Timestamp.newBuilder().setSeconds(4))
        .build();

    assertBytes("0a 01 63 12 01 69 18 02 20 03 2a 02 08 04", exit);
  }

  @Test
  void taskServiceHasContainerdNameAndAllSeventeenMethods() {
    ServiceDescriptor task = ShimProto.getDescriptor().findServiceByName("Task");

    assertEquals("containerd.task.v2.Task", task.getFullName());
    assertEquals(
        List.of("State", "Create", "Start", "Delete", "Pids", "Pause", "Resume", "Checkpoint", "Kill",
            "Exec", "ResizePty", "CloseIO", "Update", "Wait", "Stats", "Connect", "Shutdown"),
        task.getMethods().stream().map(m -> m.getName()).toList());
    assertEquals(Empty.getDescriptor(), task.findMethodByName("Exec").getOutputType());
  }

  @Test
  void eventsServiceAndPayloadsHaveContainerdNames() {
    ServiceDescriptor events = EventsServiceProto.getDescriptor().findServiceByName("Events");

    assertEquals("containerd.services.events.ttrpc.v1.Events", events.getFullName());
    assertEquals("containerd.services.events.ttrpc.v1.ForwardRequest",
        events.findMethodByName("Forward").getInputType().getFullName());
    assertEquals("containerd.events.TaskOOM", TaskOOM.getDescriptor().getFullName());
    assertEquals(
        List.of("TaskCreate", "TaskStart", "TaskDelete", "TaskIO", "TaskExit", "TaskOOM", "TaskExecAdded",
            "TaskExecStarted", "TaskPaused", "TaskResumed", "TaskCheckpointed"),
        TaskEventsProto.getDescriptor().getMessageTypes().stream().map(m -> m.getName()).toList());
    assertEquals("containerd.types.Mount", Mount.getDescriptor().getFullName());
  }

  private static void assertBytes(String hex, MessageLite message) {
    assertArrayEquals(HexFormat.of().parseHex(hex.replace(" ", "")), message.toByteArray(),
        () -> "encoded as " + HexFormat.ofDelimiter(" ").formatHex(message.toByteArray()));
  }
}
