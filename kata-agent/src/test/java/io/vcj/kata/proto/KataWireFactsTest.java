package io.vcj.kata.proto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import com.google.protobuf.ByteString;
import com.google.protobuf.MessageLite;
import io.vcj.kata.proto.types.FSGroupChangePolicy;
import io.vcj.kata.proto.types.Interface;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The bytes and names the kata agent (kata-containers 3.x/4.x) uses, computed by hand from its .proto files. */
class KataWireFactsTest {

  @Test
  void waitStatusIsSignedInt32() {
    // int32 -1 is sign-extended to a 10-byte varint; uint32 or sint32 would encode differently.
    assertBytes("08 ff ff ff ff ff ff ff ff ff 01", WaitProcessResponse.newBuilder().setStatus(-1).build());
  }

  @Test
  void fieldsThatSkipNumberOneStayWhereUpstreamPutThem() {
    assertBytes("12 01 aa", ReseedRandomDevRequest.newBuilder()
        .setData(ByteString.copyFrom(new byte[] {(byte) 0xaa})).build());
    assertBytes("10 05 18 01", FSGroup.newBuilder()
        .setGroupId(5).setGroupChangePolicy(FSGroupChangePolicy.OnRootMismatch).build());
  }

  @Test
  void ociMountPutsDestinationFirst() {
    assertBytes("0a 01 64 12 01 73 1a 01 74", Mount.newBuilder()
        .setDestination("d").setSource("s").setType("t").build());
  }

  @Test
  void createContainerCarriesSpecAsField6() {
    var request = CreateContainerRequest.newBuilder()
        .setContainerId("c")
        .setOCI(Spec.newBuilder().setHostname("h"))
        .setStdoutPort(1024)
        .build();

    assertBytes("0a 01 63 32 03 22 01 68 50 80 08", request);
  }

  @Test
  void unsetOptionalMemcgFieldsAreAbsentButExplicitFalseIsSent() {
    assertBytes("", MemAgentMemcgConfig.getDefaultInstance());
    assertBytes("08 00", MemAgentMemcgConfig.newBuilder().setDisabled(false).build());
  }

  @Test
  void agentServiceHasKataNameAndEveryRpc() {
    ServiceDescriptor agent = AgentProto.getDescriptor().findServiceByName("AgentService");

    assertEquals("grpc.AgentService", agent.getFullName());
    assertEquals(List.of("CreateContainer", "StartContainer", "RemoveContainer", "ExecProcess", "SignalProcess",
            "WaitProcess", "UpdateContainer", "UpdateEphemeralMounts", "StatsContainer", "PauseContainer",
            "ResumeContainer", "RemoveStaleVirtiofsShareMounts", "GetDiagnosticData", "WriteStdin", "ReadStdout",
            "ReadStderr", "CloseStdin", "TtyWinResize", "UpdateInterface", "UpdateRoutes", "ListInterfaces",
            "ListRoutes", "AddARPNeighbors", "GetIPTables", "SetIPTables", "GetMetrics", "MemAgentMemcgSet",
            "MemAgentCompactSet", "CreateSandbox", "DestroySandbox", "OnlineCPUMem", "ReseedRandomDev",
            "GetGuestDetails", "MemHotplugByProbe", "SetGuestDateTime", "CopyFile", "GetOOMEvent", "AddSwap",
            "AddSwapPath", "GetVolumeStats", "ResizeVolume", "SetPolicy"),
        agent.getMethods().stream().map(MethodDescriptor::getName).toList());
  }

  @Test
  void agentSignaturesUseKataTypeNames() {
    ServiceDescriptor agent = AgentProto.getDescriptor().findServiceByName("AgentService");

    assertEquals("types.Interface", agent.findMethodByName("UpdateInterface").getOutputType().getFullName());
    assertEquals(Interface.getDescriptor(), agent.findMethodByName("UpdateInterface").getOutputType());
    assertEquals("grpc.GuestDetailsRequest", agent.findMethodByName("GetGuestDetails").getInputType().getFullName());
    assertEquals("grpc.VolumeStatsResponse", agent.findMethodByName("GetVolumeStats").getOutputType().getFullName());
    assertEquals("grpc.Spec", Spec.getDescriptor().getFullName());
  }

  @Test
  void healthServiceHasKataName() {
    ServiceDescriptor health = HealthProto.getDescriptor().findServiceByName("Health");

    assertEquals("grpc.Health", health.getFullName());
    assertEquals(List.of("Check", "Version"), health.getMethods().stream().map(MethodDescriptor::getName).toList());
    assertEquals("grpc.HealthCheckResponse.ServingStatus",
        HealthCheckResponse.ServingStatus.getDescriptor().getFullName());
  }

  private static void assertBytes(String hex, MessageLite message) {
    assertArrayEquals(HexFormat.of().parseHex(hex.replace(" ", "")), message.toByteArray(),
        () -> "encoded as " + HexFormat.ofDelimiter(" ").formatHex(message.toByteArray()));
  }
}
