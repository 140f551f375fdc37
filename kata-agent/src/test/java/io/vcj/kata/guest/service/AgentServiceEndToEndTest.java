package io.vcj.kata.guest.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.ByteString;
import io.vcj.kata.guest.BusyboxPod;
import io.vcj.kata.guest.GuestAgent;
import io.vcj.kata.guest.container.Sandbox;
import io.vcj.kata.proto.AgentServiceTtrpcClient;
import io.vcj.kata.proto.CheckRequest;
import io.vcj.kata.proto.CreateContainerRequest;
import io.vcj.kata.proto.DestroySandboxRequest;
import io.vcj.kata.proto.ExecProcessRequest;
import io.vcj.kata.proto.HealthCheckResponse;
import io.vcj.kata.proto.HealthTtrpcClient;
import io.vcj.kata.proto.ReadStreamRequest;
import io.vcj.kata.proto.RemoveContainerRequest;
import io.vcj.kata.proto.SignalProcessRequest;
import io.vcj.kata.proto.StartContainerRequest;
import io.vcj.kata.proto.StatsContainerRequest;
import io.vcj.kata.proto.WaitProcessRequest;
import io.vcj.kata.proto.WriteStreamRequest;
import io.vcj.ttrpc.StatusCode;
import io.vcj.ttrpc.TtrpcClient;
import io.vcj.ttrpc.TtrpcException;
import io.vcj.ttrpc.TtrpcServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The host's view: generated ttrpc clients → agent on a Unix socket → runc → busybox. */
@Timeout(60)
class AgentServiceEndToEndTest {
    private BusyboxPod pod;
    private TtrpcServer server;
    private TtrpcClient connection;
    private AgentServiceTtrpcClient agent;

    @BeforeEach
    void setUp() throws Exception {
        pod = new BusyboxPod();
        server = GuestAgent.server(new Sandbox(pod.runc, pod.paths));
        Path socket = pod.dir.resolve("agent.sock");
        server.listen(socket);
        connection = TtrpcClient.connect(socket);
        agent = AgentServiceTtrpcClient.of(connection);
    }

    @AfterEach
    void tearDown() throws Exception {
        agent.destroySandbox(DestroySandboxRequest.getDefaultInstance());
        connection.close();
        server.close();
        pod.close();
    }

    private void startContainer(String id, String... args) throws Exception {
        pod.rootfs(id);
        agent.createContainer(CreateContainerRequest.newBuilder().setContainerId(id).setOCI(BusyboxPod.spec(args)).build());
        agent.startContainer(StartContainerRequest.newBuilder().setContainerId(id).build());
    }

    /** Reads like the kata runtime: until a reply with no data. */
    private String readStdout(String id, String execId) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (true) {
            ByteString data = agent.readStdout(ReadStreamRequest.newBuilder()
                    .setContainerId(id).setExecId(execId).setLen(1024).build()).getData();
            if (data.isEmpty()) {
                return out.toString(StandardCharsets.UTF_8);
            }
            data.writeTo(out);
        }
    }

    private int waitProcess(String id, String execId) {
        return agent.waitProcess(WaitProcessRequest.newBuilder().setContainerId(id).setExecId(execId).build()).getStatus();
    }

    @Test
    void healthCheckAnswersServing() {
        HealthTtrpcClient health = HealthTtrpcClient.of(connection);
        assertEquals(HealthCheckResponse.ServingStatus.SERVING, health.check(CheckRequest.getDefaultInstance()).getStatus());
    }

    @Test
    void runsEchoHelloAndReportsItsExit() throws Exception {
        startContainer("hello", "echo", "hello");
        assertEquals("hello\n", readStdout("hello", ""));
        assertEquals(0, waitProcess("hello", ""));
        agent.removeContainer(RemoveContainerRequest.newBuilder().setContainerId("hello").build());
        assertEquals(0, pod.runc.list().size());
    }

    @Test
    void execWithStdinAndSignals() throws Exception {
        startContainer("box", "sleep", "1000");
        agent.execProcess(ExecProcessRequest.newBuilder().setContainerId("box").setExecId("cat")
                .setProcess(BusyboxPod.process("sh", "-c", "cat; exit 3")).build());
        agent.writeStdin(WriteStreamRequest.newBuilder().setContainerId("box").setExecId("cat")
                .setData(ByteString.copyFromUtf8("round trip\n")).build());
        agent.writeStdin(WriteStreamRequest.newBuilder().setContainerId("box").setExecId("cat").build());
        assertEquals("round trip\n", readStdout("box", "cat"));
        assertEquals(3, waitProcess("box", "cat"));

        assertEquals(1, agent.statsContainer(StatsContainerRequest.newBuilder().setContainerId("box").build())
                .getCgroupStats().getPidsStats().getCurrent());

        agent.signalProcess(SignalProcessRequest.newBuilder().setContainerId("box").setSignal(9).build());
        assertEquals(137, waitProcess("box", ""));
    }

    @Test
    void unknownContainerIsNotFound() {
        TtrpcException e = assertThrows(TtrpcException.class,
                () -> agent.startContainer(StartContainerRequest.newBuilder().setContainerId("nope").build()));
        assertEquals(StatusCode.NOT_FOUND, e.code());
    }
}
