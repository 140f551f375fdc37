package io.vcj.vc;

import io.vcj.vc.agent.CreateSandboxRequest;
import io.vcj.vc.hypervisor.Device;
import io.vcj.vc.mock.MockHypervisor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SandboxLifecycleTest extends FixtureTest {
    VirtContainers vc;

    @BeforeEach
    void setUp() throws Exception {
        vc = fx.vc;
    }

    @Test
    void createStartStopDeleteWalksTheSandboxThroughItsStates() {
        VCSandbox sandbox = vc.createSandbox(fx.sandbox("pod1", fx.container("web", "sleep", "100")));
        MockHypervisor hypervisor = fx.lastHypervisor();
        assertEquals(State.READY, sandbox.state());
        assertTrue(hypervisor.running());
        assertEquals(State.READY, sandbox.container("web").state());

        vc.startSandbox("pod1");
        assertEquals(State.RUNNING, sandbox.state());
        assertEquals(State.RUNNING, sandbox.container("web").state());

        vc.stopSandbox("pod1");
        assertEquals(State.STOPPED, sandbox.state());
        assertEquals(State.STOPPED, sandbox.container("web").state());
        assertFalse(hypervisor.running());

        vc.deleteSandbox("pod1");
        assertThrows(VcException.NotFound.class, () -> vc.statusSandbox("pod1"));
        assertFalse(Files.exists(fx.root.resolve("pod1")));
        assertTrue(fx.mounter.nothingMounted());
    }

    @Test
    void createSharesTheRunDirectoryAndSetsUpTheGuest() {
        vc.createSandbox(fx.sandbox("pod1"));
        MockHypervisor hypervisor = fx.lastHypervisor();

        var shared = (Device.SharedDirectory) hypervisor.coldPlugged.getFirst();
        assertEquals("vcjshared", shared.tag());
        assertEquals(fx.root.resolve("pod1/shared"), shared.hostPath());
        CreateSandboxRequest request = hypervisor.guest().sandboxes.getFirst();
        assertEquals("pod1", request.hostname());
        assertEquals(List.of("nameserver 10.0.0.1"), request.dns());
        assertEquals("/run/vcj/shared", request.storages().getFirst().mountPoint());
        assertEquals("vcjshared", request.storages().getFirst().source());
    }

    @Test
    void runSandboxCreatesAndStarts() {
        VCSandbox sandbox = vc.runSandbox(fx.sandbox("pod1", fx.container("web", "sleep", "100")));
        assertEquals(State.RUNNING, sandbox.state());
        assertEquals(State.RUNNING, sandbox.container("web").state());
    }

    @Test
    void pauseAndResumeMoveTheVm() {
        vc.runSandbox(fx.sandbox("pod1"));
        vc.pauseSandbox("pod1");
        assertTrue(fx.lastHypervisor().paused);
        assertEquals(State.PAUSED, vc.statusSandbox("pod1").state());
        vc.resumeSandbox("pod1");
        assertFalse(fx.lastHypervisor().paused);
        assertEquals(State.RUNNING, vc.statusSandbox("pod1").state());
    }

    @Test
    void deletingARunningSandboxIsRefused() {
        vc.runSandbox(fx.sandbox("pod1"));
        var e = assertThrows(VcException.FailedPrecondition.class, () -> vc.deleteSandbox("pod1"));
        assertTrue(e.getMessage().contains("running"), e.getMessage());
        assertEquals(State.RUNNING, vc.statusSandbox("pod1").state());
    }

    @Test
    void deletingAReadySandboxStopsItsVm() {
        vc.createSandbox(fx.sandbox("pod1"));
        vc.deleteSandbox("pod1");
        assertFalse(fx.lastHypervisor().running());
        assertFalse(Files.exists(fx.root.resolve("pod1")));
    }

    @Test
    void illegalMovesAreRefusedWithTheCurrentState() {
        vc.createSandbox(fx.sandbox("pod1"));
        assertThrows(VcException.FailedPrecondition.class, () -> vc.pauseSandbox("pod1"));
        assertThrows(VcException.FailedPrecondition.class, () -> vc.resumeSandbox("pod1"));
        vc.startSandbox("pod1");
        assertThrows(VcException.FailedPrecondition.class, () -> vc.startSandbox("pod1"));
        vc.stopSandbox("pod1");
        var e = assertThrows(VcException.FailedPrecondition.class, () -> vc.startSandbox("pod1"));
        assertTrue(e.getMessage().contains("stopped"), e.getMessage());
        assertThrows(VcException.FailedPrecondition.class, () -> vc.stopSandbox("pod1"));
    }

    @Test
    void aDuplicateSandboxIdIsRefusedAndTheFirstSandboxSurvives() {
        vc.createSandbox(fx.sandbox("pod1"));
        assertThrows(VcException.AlreadyExists.class, () -> vc.createSandbox(fx.sandbox("pod1")));
        assertEquals(1, fx.hypervisors.size());
        assertEquals(State.READY, vc.statusSandbox("pod1").state());
        assertTrue(fx.lastHypervisor().running());
    }

    @Test
    void unknownAndInvalidIdsAreReported() {
        assertThrows(VcException.NotFound.class, () -> vc.startSandbox("nope"));
        assertThrows(VcException.NotFound.class, () -> vc.deleteSandbox("nope"));
        var e = assertThrows(VcException.InvalidArgument.class, () -> vc.statusSandbox("../etc"));
        assertTrue(e.getMessage().contains("'../etc'"), e.getMessage());
    }

    @Test
    void listSandboxReportsEverySandboxWithItsContainers() {
        vc.createSandbox(fx.sandbox("b", fx.container("c1", "sleep", "1")));
        vc.runSandbox(fx.sandbox("a"));
        List<SandboxStatus> list = vc.listSandbox();
        assertEquals(List.of("a", "b"), list.stream().map(SandboxStatus::id).toList());
        assertEquals(State.RUNNING, list.get(0).state());
        assertEquals(List.of("c1"), list.get(1).containers().stream().map(ContainerStatus::id).toList());
        assertEquals("mock", list.get(1).hypervisorType());
    }

    @Test
    void handlesReflectTheCurrentState() {
        VCSandbox sandbox = vc.createSandbox(fx.sandbox("pod1", fx.container("web", "sleep", "100")));
        VCContainer web = sandbox.containers().getFirst();
        assertEquals("web", web.id());
        assertEquals("pod1", web.sandbox().id());
        assertEquals("web", web.token());
        assertEquals(fx.lastHypervisor().pids().getFirst(), web.pid());
        assertNull(web.process().startTime());

        vc.startSandbox("pod1");

        assertEquals(State.RUNNING, web.state());
        assertNotNull(web.process().startTime());
        assertThrows(VcException.NotFound.class, () -> sandbox.container("db"));
    }

    @Test
    void annotationsCanBeReadAndAdded() {
        VCSandbox sandbox = vc.createSandbox(fx.sandbox("pod1"));
        assertEquals("yes", sandbox.annotation("io.vcj.test").orElseThrow());
        sandbox.setAnnotations(Map.of("io.vcj.extra", "1"));
        assertEquals(Map.of("io.vcj.test", "yes", "io.vcj.extra", "1"), vc.sandbox("pod1").annotations());
    }
}
