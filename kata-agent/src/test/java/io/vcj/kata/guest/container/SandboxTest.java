package io.vcj.kata.guest.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vcj.kata.guest.BusyboxPod;
import io.vcj.kata.guest.runc.Runc;
import io.vcj.kata.proto.Box;
import io.vcj.kata.proto.Root;
import io.vcj.kata.proto.Spec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class SandboxTest {
    private BusyboxPod pod;
    private Sandbox sandbox;

    @BeforeEach
    void setUp() throws IOException {
        pod = new BusyboxPod();
        sandbox = new Sandbox(pod.runc, pod.paths);
    }

    @AfterEach
    void tearDown() throws IOException {
        sandbox.destroy();
        pod.close();
    }

    private void run(String id, String... args) throws IOException {
        pod.rootfs(id);
        sandbox.createContainer(id, BusyboxPod.spec(args));
        sandbox.startContainer(id);
    }

    private static String readAll(ContainerProcess process, boolean stdout) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] chunk;
        while ((chunk = stdout ? process.readStdout(4) : process.readStderr(4)) != null) {
            all.writeBytes(chunk);
        }
        return all.toString(StandardCharsets.UTF_8);
    }

    @Test
    void echoesToStdoutThenEndsTheStreamAndExitsZero() throws Exception {
        run("echo", "echo", "hello");
        ContainerProcess init = sandbox.process("echo", "");
        assertEquals("hello\n", readAll(init, true));
        assertNull(init.readStdout(16), "stays at end of stream");
        assertEquals(0, sandbox.waitProcess("echo", ""));
    }

    @Test
    void reportsTheExitCodeAndKeepsStderrApart() throws Exception {
        run("exit3", "sh", "-c", "echo oops >&2; exit 3");
        assertEquals(3, sandbox.waitProcess("exit3", ""));
        assertEquals("oops\n", readAll(sandbox.process("exit3", ""), false));
        assertEquals("", readAll(sandbox.process("exit3", ""), true));
    }

    @Test
    void pipesStdinThroughCatAndEndsWhenStdinCloses() throws Exception {
        run("cat", "cat");
        ContainerProcess cat = sandbox.process("cat", "");
        cat.writeStdin("ping\n".getBytes(StandardCharsets.UTF_8));
        cat.closeStdin();
        assertEquals("ping\n", readAll(cat, true));
        assertEquals(0, sandbox.waitProcess("cat", ""));
    }

    @Test
    void killedInitReportsSignalAsExitCode128PlusN() throws Exception {
        run("sleeper", "sleep", "1000");
        sandbox.signalProcess("sleeper", "", 9);
        assertEquals(137, sandbox.waitProcess("sleeper", ""));
        sandbox.signalProcess("sleeper", "", 9);
    }

    @Test
    void sigtermStopsAnInitWithoutHandlerAndReachesOneWithHandler() throws Exception {
        run("plain", "sleep", "1000");
        sandbox.signalProcess("plain", "", 15);
        assertEquals(137, sandbox.waitProcess("plain", ""), "became SIGKILL");

        run("trapper", "sh", "-c", "trap 'exit 42' TERM; echo ready; while :; do sleep 1; done");
        ContainerProcess init = sandbox.process("trapper", "");
        assertEquals("ready\n", new String(init.readStdout(64), StandardCharsets.UTF_8));
        sandbox.signalProcess("trapper", "", 15);
        assertEquals(42, sandbox.waitProcess("trapper", ""));
    }

    @Test
    void execRunsBesideInitAndCanBeSignalled() throws Exception {
        run("box", "sleep", "1000");
        sandbox.execProcess("box", "hi", BusyboxPod.process("echo", "from exec"));
        assertEquals("from exec\n", readAll(sandbox.process("box", "hi"), true));
        assertEquals(0, sandbox.waitProcess("box", "hi"));

        sandbox.execProcess("box", "nap", BusyboxPod.process("sleep", "1000"));
        sandbox.signalProcess("box", "nap", 15);
        assertEquals(143, sandbox.waitProcess("box", "nap"));

        sandbox.execProcess("box", "hi", BusyboxPod.process("true"));
        assertEquals(0, sandbox.waitProcess("box", "hi"), "a finished exec id may be reused");
    }

    @Test
    void terminalProcessGetsAPtySizedAsAskedAndResizable() throws Exception {
        pod.rootfs("tty");
        Spec spec = BusyboxPod.spec("sh", "-c", "tty; stty size; while read x; do stty size; done; exit 4");
        spec = spec.toBuilder().setProcess(spec.getProcess().toBuilder()
                .setTerminal(true).setConsoleSize(Box.newBuilder().setHeight(30).setWidth(100))).build();
        sandbox.createContainer("tty", spec);
        sandbox.startContainer("tty");
        ContainerProcess init = sandbox.process("tty", "");
        String out = readUntil(init, "30 100");
        assertTrue(out.startsWith("/dev/pts/"), out);

        sandbox.resizeTerminal("tty", "", 40, 120);
        // runc applies the new size when it handles SIGWINCH; ask again until it shows.
        String sizes = "";
        while (!sizes.contains("40 120")) {
            init.writeStdin("size?\n".getBytes(StandardCharsets.UTF_8));
            readUntil(init, "size?");
            readUntil(init, "\n");
            sizes = readUntil(init, "\n");
        }
        init.closeStdin();
        readAll(init, true);
        assertEquals(4, sandbox.waitProcess("tty", ""));
    }

    private static String readUntil(ContainerProcess process, String marker) throws IOException {
        StringBuilder out = new StringBuilder();
        while (!out.toString().contains(marker)) {
            byte[] chunk = process.readStdout(1);
            if (chunk == null) {
                throw new IOException("end of stream before " + marker + " in " + out);
            }
            out.append(new String(chunk, StandardCharsets.UTF_8));
        }
        return out.toString();
    }

    @Test
    void psListsTheInitPidAndPauseResumeChangeRuncState() throws Exception {
        run("paused", "sleep", "1000");
        assertTrue(sandbox.pids("paused").contains(sandbox.process("paused", "").pid()));
        sandbox.pauseContainer("paused");
        assertEquals("paused", pod.runc.list().get("paused"));
        sandbox.resumeContainer("paused");
        assertEquals("running", pod.runc.list().get("paused"));
    }

    @Test
    void statsCarryTheContainersPidCount() throws Exception {
        run("stats", "sleep", "1000");
        Map<String, Object> stats = sandbox.stats("stats");
        Object pids = ((Map<?, ?>) stats.get("pids")).get("current");
        assertEquals(1L, pids);
    }

    @Test
    void removeKillsEverythingAndLeavesNoRuncStateOrBundle() throws Exception {
        run("gone", "sleep", "1000");
        sandbox.execProcess("gone", "side", BusyboxPod.process("sleep", "1000"));
        sandbox.removeContainer("gone");
        assertTrue(pod.runc.list().isEmpty());
        assertFalse(Files.exists(pod.paths.bundle("gone")));
        assertThrows(ContainerException.class, () -> sandbox.process("gone", ""));
    }

    @Test
    void startFailureCarriesRuncsReason() throws Exception {
        pod.rootfs("bad");
        sandbox.createContainer("bad", BusyboxPod.spec("/no/such/binary"));
        IOException e = assertThrows(IOException.class, () -> sandbox.startContainer("bad"));
        assertTrue(e.getMessage().contains("/no/such/binary"), e.getMessage());
    }

    @Test
    void runsWithoutPivotRootAsOnAnInitramfs() throws Exception {
        Sandbox chrooting = new Sandbox(new Runc("runc", pod.dir.resolve("runc-root"), true), pod.paths);
        pod.rootfs("nopivot");
        chrooting.createContainer("nopivot", BusyboxPod.spec("echo", "chrooted"));
        chrooting.startContainer("nopivot");
        assertEquals("chrooted\n", readAll(chrooting.process("nopivot", ""), true));
        assertEquals(0, chrooting.waitProcess("nopivot", ""));
        chrooting.removeContainer("nopivot");
    }

    @Test
    void takesTheRootfsFromAnAbsoluteRootPath() throws Exception {
        pod.rootfs("elsewhere");
        Spec spec = BusyboxPod.spec("echo", "moved").toBuilder()
                .setRoot(Root.newBuilder().setPath(pod.paths.rootfs("elsewhere").toString())).build();
        sandbox.createContainer("moved", spec);
        sandbox.startContainer("moved");
        assertEquals("moved\n", readAll(sandbox.process("moved", ""), true));
    }

    @Test
    void refusesDuplicateAndPathLikeIds() throws Exception {
        pod.rootfs("dup");
        sandbox.createContainer("dup", BusyboxPod.spec("true"));
        ContainerException dup = assertThrows(ContainerException.class,
                () -> sandbox.createContainer("dup", BusyboxPod.spec("true")));
        assertEquals(ContainerException.Reason.ALREADY_EXISTS, dup.reason());
        ContainerException bad = assertThrows(ContainerException.class,
                () -> sandbox.createContainer("../x", BusyboxPod.spec("true")));
        assertEquals(ContainerException.Reason.INVALID_ARGUMENT, bad.reason());
    }
}
