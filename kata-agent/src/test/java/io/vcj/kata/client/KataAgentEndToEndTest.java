package io.vcj.kata.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vcj.kata.guest.BusyboxPod;
import io.vcj.kata.guest.GuestAgent;
import io.vcj.kata.guest.container.Sandbox;
import io.vcj.ttrpc.TtrpcServer;
import io.vcj.vc.VcException;
import io.vcj.vc.agent.AgentException;
import io.vcj.vc.agent.CreateContainerRequest;
import io.vcj.vc.agent.CreateSandboxRequest;
import io.vcj.vc.hypervisor.AgentChannel;
import java.io.ByteArrayOutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The client against the real guest agent on a Unix socket, running busybox with runc on this host. */
@Timeout(120)
class KataAgentEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration DIAL = Duration.ofSeconds(30);
    private static final int SIGKILL = 9;

    private BusyboxPod pod;
    private Path socket;
    private TtrpcServer server;
    private final KataAgent agent = new KataAgent();

    @BeforeEach
    void setUp() throws Exception {
        pod = new BusyboxPod();
        socket = pod.dir.resolve("agent.sock");
    }

    @AfterEach
    void tearDown() throws Exception {
        agent.close();
        if (server != null) {
            server.close();
        }
        pod.close();
    }

    private void serveAgent() throws Exception {
        server = GuestAgent.server(new Sandbox(pod.runc, pod.paths));
        server.listen(socket);
    }

    private void connect() throws Exception {
        serveAgent();
        agent.connect(new AgentChannel.SerialSocket(socket), DIAL);
        agent.createSandbox(new CreateSandboxRequest("pod", "", List.of(), List.of(), false));
    }

    /** An OCI process as vc-core sends it. */
    private static ObjectNode process(String... args) {
        ObjectNode process = JSON.createObjectNode();
        ArrayNode argv = process.putArray("args");
        for (String arg : args) {
            argv.add(arg);
        }
        process.putArray("env").add("PATH=/bin");
        process.put("cwd", "/");
        process.putObject("user").put("uid", 0).put("gid", 0);
        return process;
    }

    private static ObjectNode spec(String... args) {
        ObjectNode spec = JSON.createObjectNode();
        spec.put("ociVersion", "1.1.0");
        spec.set("process", process(args));
        spec.putObject("root").put("path", "rootfs");
        spec.putArray("mounts").addObject().put("destination", "/proc").put("type", "proc").put("source", "proc");
        ArrayNode namespaces = spec.putObject("linux").putArray("namespaces");
        for (String type : List.of("pid", "ipc", "uts", "mount")) {
            namespaces.addObject().put("type", type);
        }
        return spec;
    }

    private void run(String id, ObjectNode spec) throws Exception {
        pod.rootfs(id);
        agent.createContainer(new CreateContainerRequest(id, id, spec, pod.paths.rootfs(id).toString(),
                List.of(), List.of(), false));
        agent.startContainer(id);
    }

    private String stdout(String id, String execId) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] chunk = agent.readStdout(id, execId, 1024); chunk.length > 0; chunk = agent.readStdout(id, execId, 1024)) {
            out.writeBytes(chunk);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void runsEchoHello() throws Exception {
        connect();
        run("hello", spec("echo", "hello"));

        assertEquals("hello\n", stdout("hello", ""));
        assertEquals(0, agent.waitProcess("hello", "").code());
        agent.removeContainer("hello", Duration.ofSeconds(10));
        assertEquals(0, pod.runc.list().size());
        agent.destroySandbox();
    }

    @Test
    void execTakesStdinAndSignalsReachTheContainer() throws Exception {
        connect();
        run("box", spec("sleep", "1000"));

        agent.exec("box", "cat", process("sh", "-c", "cat; exit 3"), true);
        byte[] input = "round trip\n".getBytes(StandardCharsets.UTF_8);
        assertEquals(input.length, agent.writeStdin("box", "cat", input));
        agent.closeStdin("box", "cat");
        assertEquals("round trip\n", stdout("box", "cat"));
        assertEquals(3, agent.waitProcess("box", "cat").code());
        assertEquals(1, agent.statsContainer("box").pids());

        agent.signalProcess("box", "", SIGKILL, true);
        assertEquals(128 + SIGKILL, agent.waitProcess("box", "").code());
        agent.removeContainer("box", Duration.ofSeconds(10));
    }

    @Test
    void theProcessListGrowsWithAnExecAndNamesOnlyThatContainer() throws Exception {
        connect();
        run("box", spec("sleep", "1000"));
        run("other", spec("sleep", "1000"));
        List<Integer> alone = agent.listProcesses("box");

        agent.exec("box", "nap", process("sleep", "1000"), false);
        List<Integer> withExec = agent.listProcesses("box");

        assertEquals(1, alone.size(), alone.toString());
        assertEquals(2, withExec.size(), withExec.toString());
        assertTrue(withExec.containsAll(alone), withExec + " keeps " + alone);
        assertTrue(agent.listProcesses("other").stream().noneMatch(withExec::contains));
        assertThrows(VcException.NotFound.class, () -> agent.listProcesses("nope"));
        for (String id : List.of("box", "other")) {
            agent.signalProcess(id, "", SIGKILL, true);
            agent.waitProcess(id, "");
            agent.removeContainer(id, Duration.ofSeconds(10));
        }
    }

    @Test
    void guestErrorsKeepTheirMeaning() throws Exception {
        connect();
        VcException.NotFound missing = assertThrows(VcException.NotFound.class, () -> agent.startContainer("nope"));
        assertTrue(missing.getMessage().contains("nope"), missing.getMessage());

        run("twice", spec("sleep", "1000"));
        assertThrows(VcException.AlreadyExists.class, () -> agent.createContainer(new CreateContainerRequest(
                "twice", "twice", spec("true"), pod.paths.rootfs("twice").toString(), List.of(), List.of(), false)));
        agent.removeContainer("twice", Duration.ofSeconds(10));
    }

    @Test
    void anInvalidSpecIsRefusedBeforeTheGuestSeesIt() throws Exception {
        connect();
        pod.rootfs("bad");
        ObjectNode spec = spec("echo", "hello");
        ((ObjectNode) spec.get("process")).put("terminal", "yes");

        VcException.InvalidArgument e = assertThrows(VcException.InvalidArgument.class, () -> agent.createContainer(
                new CreateContainerRequest("bad", "bad", spec, pod.paths.rootfs("bad").toString(), List.of(), List.of(), false)));
        assertTrue(e.getMessage().contains("process.terminal"), e.getMessage());
        assertThrows(VcException.NotFound.class, () -> agent.startContainer("bad"));
    }

    @Test
    void connectWaitsForAnAgentThatComesUpLate() throws Exception {
        Thread late = Thread.startVirtualThread(() -> {
            try {
                Thread.sleep(1500);
                serveAgent();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        agent.connect(new AgentChannel.SerialSocket(socket), DIAL);
        late.join();
        agent.check();
    }

    /** A call on a connection the agent dropped (e.g. it restarted) dials again instead of failing for good. */
    @Test
    void callsDialAgainAfterTheAgentRestarted() throws Exception {
        connect();
        server.close();
        serveAgent();
        long deadline = System.nanoTime() + DIAL.toNanos();
        while (true) {
            try {
                agent.check();
                break;
            } catch (AgentException e) {
                // the call that finds the old connection closing fails; the next one finds it closed and dials
                assertTrue(System.nanoTime() < deadline, "no call succeeded after the restart: " + e.getMessage());
            }
        }
        agent.createSandbox(new CreateSandboxRequest("pod", "", List.of(), List.of(), false));
    }

    /** Like QEMU's chardev before the guest opened its port: the connection is accepted and nothing answers. */
    @Test
    void connectGivesUpOnASocketThatNeverAnswers() throws Exception {
        try (ServerSocketChannel silent = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            silent.bind(UnixDomainSocketAddress.of(socket));
            AgentException e = assertThrows(AgentException.class,
                    () -> agent.connect(new AgentChannel.SerialSocket(socket), Duration.ofSeconds(2)));
            assertTrue(e.getMessage().contains("did not answer a health check"), e.getMessage());
        }
    }

    @Test
    void vsockIsRefusedWithTheReason() {
        AgentException e = assertThrows(AgentException.class,
                () -> agent.connect(new AgentChannel.Vsock(3, 1024), DIAL));
        assertTrue(e.getMessage().contains("AF_VSOCK"), e.getMessage());
    }
}
