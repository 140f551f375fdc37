package io.vcj.vc;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vcj.vc.agent.CreateContainerRequest;
import io.vcj.vc.agent.Storage;
import io.vcj.vc.config.Cmd;
import io.vcj.vc.config.ContainerConfig;
import io.vcj.vc.config.Mount;
import io.vcj.vc.config.OciSpecs;
import io.vcj.vc.config.Rootfs;
import io.vcj.vc.mock.MockGuest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ContainerLifecycleTest extends FixtureTest {
    VirtContainers vc;

    @BeforeEach
    void setUp() throws Exception {
        vc = fx.vc;
        vc.runSandbox(fx.sandbox("pod"));
    }

    private MockGuest guest() {
        return fx.lastHypervisor().guest();
    }

    @Test
    void aContainerRunsAndItsExitIsReported() {
        vc.createContainer("pod", fx.container("job", "exit", "3"));
        assertEquals(State.READY, vc.statusContainer("pod", "job").state());
        vc.startContainer("pod", "job");

        ExitStatus exit = vc.waitProcess("pod", "job", "job");

        assertEquals(3, exit.code());
        ContainerStatus status = vc.statusContainer("pod", "job");
        assertEquals(State.STOPPED, status.state());
        assertEquals(3, status.exitStatus().code());
        assertEquals(fx.lastHypervisor().pids().getFirst(), status.pid());
    }

    @Test
    void theRootfsIsSharedWithTheGuestAndReleasedOnDelete() {
        vc.createContainer("pod", fx.container("web", "sleep", "1"));

        Path target = fx.root.resolve("pod/shared/web/rootfs");
        assertEquals(fx.rootfs.toString(), fx.mounter.top(target));
        CreateContainerRequest request = guest().containers.get("web");
        assertEquals("/run/vcj/shared/web/rootfs", request.guestRootfs());
        assertEquals("/run/vcj/shared/web/rootfs", request.ociSpec().path("root").path("path").asText());
        assertEquals("sleep", request.ociSpec().path("process").path("args").get(0).asText());

        vc.deleteContainer("pod", "web");
        assertTrue(fx.mounter.nothingMounted());
        assertFalse(Files.exists(fx.root.resolve("pod/shared/web")));
        assertFalse(guest().containers.containsKey("web"));
        assertThrows(VcException.NotFound.class, () -> vc.statusContainer("pod", "web"));
    }

    @Test
    void aMountListRootfsIsStackedAndFullyUndone() {
        var rootfs = new Rootfs.Mounts(List.of(new Mount("tmpfs", "/", "tmpfs", List.of()),
                new Mount("overlay", "/", "overlay", List.of("lowerdir=/l", "upperdir=/u", "workdir=/w"))));
        vc.createContainer("pod", ContainerConfig.of("web", rootfs, Cmd.of("sleep", "1")));
        assertEquals("overlay:overlay", fx.mounter.top(fx.root.resolve("pod/shared/web/rootfs")));

        vc.deleteContainer("pod", "web");

        assertTrue(fx.mounter.nothingMounted(), fx.mounter.toString());
    }

    @Test
    void aBlockDeviceRootfsIsHotPluggedAndMountedByTheGuest() throws IOException {
        Path disk = Files.writeString(tmp.resolve("disk.img"), "");
        vc.createContainer("pod", ContainerConfig.of("db", new Rootfs.BlockDevice(disk, "ext4", List.of()),
                Cmd.of("sleep", "1")));

        CreateContainerRequest request = guest().containers.get("db");
        assertEquals("/run/vcj/containers/db/rootfs", request.guestRootfs());
        Storage storage = request.storages().getFirst();
        assertEquals(List.of("blk", "02/01", "ext4", "/run/vcj/containers/db/rootfs"),
                List.of(storage.driver(), storage.source(), storage.fsType(), storage.mountPoint()));
        assertEquals(1, fx.lastHypervisor().hotPlugged.size());

        vc.deleteContainer("pod", "db");
        assertTrue(fx.lastHypervisor().hotPlugged.isEmpty());
    }

    @Test
    void noContainerIsDeletedFromAPausedSandbox() {
        vc.createContainer("pod", fx.container("web", "sleep", "1"));
        vc.pauseSandbox("pod");
        assertThrows(VcException.FailedPrecondition.class, () -> vc.deleteContainer("pod", "web"));
        vc.resumeSandbox("pod");
        vc.deleteContainer("pod", "web");
    }

    @Test
    void theGuestSpecDropsHostOnlyPartsAndSharesBindMounts() throws IOException {
        Path resolvConf = Files.writeString(tmp.resolve("resolv.conf"), "nameserver 1.1.1.1\n");
        ObjectNode spec = (ObjectNode) new ObjectMapper().readTree("""
                {"ociVersion": "1.1.0",
                 "process": {"args": ["sleep", "10"], "cwd": "/", "env": ["A=1"], "terminal": false},
                 "root": {"path": "rootfs", "readonly": true},
                 "hooks": {"prestart": [{"path": "/usr/bin/hook"}]},
                 "mounts": [{"destination": "/proc", "type": "proc", "source": "proc"},
                            {"destination": "/etc/resolv.conf", "type": "bind", "source": "%s", "options": ["rbind", "ro"]}],
                 "linux": {"namespaces": [{"type": "pid"}, {"type": "network", "path": "/var/run/netns/cni-1"},
                                          {"type": "ipc", "path": "/proc/1/ns/ipc"}]}}
                """.formatted(resolvConf));
        ContainerConfig config = OciSpecs.containerConfig("web", new Rootfs.HostPath(fx.rootfs), spec, false);

        vc.createContainer("pod", config);

        ObjectNode guestSpec = guest().containers.get("web").ociSpec();
        assertFalse(guestSpec.has("hooks"));
        assertTrue(guestSpec.path("root").path("readonly").asBoolean());
        assertEquals("/run/vcj/shared/web/mounts/1", guestSpec.path("mounts").get(1).path("source").asText());
        assertEquals("proc", guestSpec.path("mounts").get(0).path("source").asText());
        assertEquals("[{\"type\":\"pid\"},{\"type\":\"ipc\"}]", guestSpec.path("linux").path("namespaces").toString());
        assertEquals(resolvConf.toString(), fx.mounter.top(fx.root.resolve("pod/shared/web/mounts/1")));
    }

    @Test
    void enteredProcessesRunWithTheirOwnStdio() throws IOException {
        vc.createContainer("pod", fx.container("web", "sleep", "100"));
        vc.startContainer("pod", "web");

        var cat = new Cmd(List.of("cat"), null, null, null, null, null, true, false, false, null);
        Process process = vc.enterContainer("pod", "web", "exec1", cat);
        assertEquals("exec1", process.token());
        ProcessIo io = vc.processIo("pod", "web", "exec1");
        try (OutputStream stdin = io.stdin(); InputStream stdout = io.stdout()) {
            stdin.write("hello\n".getBytes(StandardCharsets.UTF_8));
            assertEquals("hello\n", new String(stdout.readNBytes(6), StandardCharsets.UTF_8));
            stdin.close();
            assertEquals(-1, stdout.read());
        }
        assertEquals(0, vc.waitProcess("pod", "web", "exec1").code());
        ProcessStatus exec = vc.statusProcess("pod", "web", "exec1");
        assertEquals(State.STOPPED, exec.state());
        assertEquals(0, exec.exitStatus().code());
        assertEquals(State.RUNNING, vc.statusProcess("pod", "web", "").state());
        assertThrows(VcException.AlreadyExists.class, () -> vc.enterContainer("pod", "web", "exec1", cat));
        vc.deleteProcess("pod", "web", "exec1");
        assertThrows(VcException.NotFound.class, () -> vc.statusProcess("pod", "web", "exec1"));
        assertEquals(State.RUNNING, vc.statusContainer("pod", "web").state());
    }

    @Test
    void stdoutEndsWhenTheProcessEnds() throws IOException {
        vc.createContainer("pod", fx.container("hello", "echo", "hi", "there"));
        vc.startContainer("pod", "hello");
        try (InputStream stdout = vc.processIo("pod", "hello", "hello").stdout()) {
            assertEquals("hi there\n", new String(stdout.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void killEndsTheContainerAndAKilledContainerCannotBeKilledAgain() {
        vc.createContainer("pod", fx.container("web", "sleep", "100"));
        vc.startContainer("pod", "web");

        vc.killContainer("pod", "web", 15, false);

        assertEquals(128 + 15, vc.waitProcess("pod", "web", "").code());
        assertEquals(128 + 15, vc.waitProcess("pod", "web", "web").code());
        assertEquals(State.STOPPED, vc.statusContainer("pod", "web").state());
        assertThrows(VcException.NotFound.class, () -> vc.killContainer("pod", "web", 9, true));
    }

    @Test
    void aLostGuestWaitIsReportedAndTheNextWaitTriesAgain() {
        vc.createContainer("pod", fx.container("web", "sleep", "100"));
        fx.faults.failOn("waitProcess");
        vc.startContainer("pod", "web");

        var e = assertThrows(VcException.Unavailable.class, () -> vc.waitProcess("pod", "web", ""));
        assertTrue(e.getMessage().contains("lost track"), e.getMessage());

        fx.faults.heal("waitProcess");
        vc.killContainer("pod", "web", 9, false);
        assertEquals(128 + 9, vc.waitProcess("pod", "web", "").code());
    }

    @Test
    void stopContainerKillsEverythingAndWaits() {
        vc.createContainer("pod", fx.container("web", "sleep", "100"));
        vc.startContainer("pod", "web");
        vc.enterContainer("pod", "web", "sidecar", Cmd.of("sleep", "100"));

        vc.stopContainer("pod", "web");

        ContainerStatus status = vc.statusContainer("pod", "web");
        assertEquals(State.STOPPED, status.state());
        assertEquals(128 + 9, status.exitStatus().code());
        assertEquals(128 + 9, vc.waitProcess("pod", "web", "sidecar").code());
    }

    @Test
    void aPausedContainerIsThawedToBeStopped() {
        vc.createContainer("pod", fx.container("web", "sleep", "100"));
        vc.startContainer("pod", "web");
        vc.pauseContainer("pod", "web");

        vc.stopContainer("pod", "web");

        assertEquals(State.STOPPED, vc.statusContainer("pod", "web").state());
        List<String> calls = guest().calls;
        int resumed = calls.lastIndexOf("resumeContainer");
        assertTrue(resumed >= 0 && resumed < calls.lastIndexOf("signalProcess"), calls.toString());
    }

    @Test
    void illegalContainerMovesAreRefused() {
        vc.createContainer("pod", fx.container("web", "sleep", "100"));
        assertThrows(VcException.FailedPrecondition.class, () -> vc.stopContainer("pod", "web"));
        assertThrows(VcException.FailedPrecondition.class, () -> vc.enterContainer("pod", "web", Cmd.of("ls")));
        vc.startContainer("pod", "web");
        assertThrows(VcException.FailedPrecondition.class, () -> vc.startContainer("pod", "web"));
        var e = assertThrows(VcException.FailedPrecondition.class, () -> vc.deleteContainer("pod", "web"));
        assertTrue(e.getMessage().contains("running"), e.getMessage());
        assertThrows(VcException.FailedPrecondition.class, () -> vc.resumeContainer("pod", "web"));
        vc.pauseContainer("pod", "web");
        assertEquals(State.PAUSED, vc.statusContainer("pod", "web").state());
        vc.resumeContainer("pod", "web");
        assertEquals(State.RUNNING, vc.statusContainer("pod", "web").state());
    }

    @Test
    void aDuplicateContainerIdIsRefusedWithoutTouchingTheFirst() {
        vc.createContainer("pod", fx.container("web", "sleep", "100"));
        assertThrows(VcException.AlreadyExists.class, () -> vc.createContainer("pod", fx.container("web", "ls")));
        assertEquals(fx.rootfs.toString(), fx.mounter.top(fx.root.resolve("pod/shared/web/rootfs")));
        assertEquals("sleep", guest().containers.get("web").ociSpec().at("/process/args/0").asText());
    }

    @Test
    void noContainerStartsInAStoppedSandbox() {
        vc.createContainer("pod", fx.container("web", "sleep", "100"));
        vc.stopSandbox("pod");
        assertThrows(VcException.FailedPrecondition.class, () -> vc.startContainer("pod", "web"));
        assertThrows(VcException.FailedPrecondition.class,
                () -> vc.createContainer("pod", fx.container("other", "ls")));
    }

    @Test
    void unknownContainersAndProcessesAreNotFound() {
        assertThrows(VcException.NotFound.class, () -> vc.startContainer("pod", "ghost"));
        assertThrows(VcException.NotFound.class, () -> vc.waitProcess("pod", "ghost", "ghost"));
        vc.createContainer("pod", fx.container("web", "sleep", "100"));
        assertThrows(VcException.NotFound.class, () -> vc.waitProcess("pod", "web", "ghost"));
        assertThrows(VcException.NotFound.class, () -> vc.createContainer("nopod", fx.container("x", "ls")));
    }

    @Test
    void aContainerWithAMissingRootfsIsRejectedBeforeTheGuestSeesIt() {
        var config = ContainerConfig.of("web", new Rootfs.HostPath(tmp.resolve("missing")), Cmd.of("ls"));
        var e = assertThrows(VcException.InvalidArgument.class, () -> vc.createContainer("pod", config));
        assertTrue(e.getMessage().contains("missing"), e.getMessage());
        assertTrue(guest().containers.isEmpty());
    }

    @Test
    void aFailedGuestCreateLeavesNothingOnTheHost() {
        fx.faults.failOn("createContainer");
        assertThrows(VcException.Unavailable.class, () -> vc.createContainer("pod", fx.container("web", "ls")));
        assertTrue(fx.mounter.nothingMounted());
        assertFalse(Files.exists(fx.root.resolve("pod/shared/web")));
        assertTrue(vc.statusSandbox("pod").containers().isEmpty());
    }

    @Test
    void statsProcessesAndUpdatesReachTheGuest() {
        vc.createContainer("pod", fx.container("web", "sleep", "100"));
        vc.startContainer("pod", "web");
        assertEquals(1000, vc.statsContainer("pod", "web").cpuUsageNanos());
        ProcessList list = vc.processListContainer("pod", "web",
                new ProcessListOptions(ProcessListOptions.Format.JSON));
        assertEquals("[1]", list.rendered());
        vc.updateContainer("pod", "web", OciSpecs.resources(new ObjectMapper().createObjectNode()));
        assertTrue(guest().calls.contains("updateContainer"));
        vc.processIo("pod", "web", "").resizeTerminal(40, 120);
        assertEquals("40x120", guest().processes.get("web/").terminalSize);
    }
}
