package io.vcj.vc;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vcj.vc.mock.MockHypervisor;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A second VirtContainers on the same root stands for a second process (a CLI call, a restarted shim). */
class PersistenceTest extends FixtureTest {
    @Test
    void anotherProcessSeesWhatTheFirstCreated() {
        fx.vc.runSandbox(fx.sandbox("pod", fx.container("web", "sleep", "100")));
        fx.vc.createContainer("pod", fx.container("side", "sleep", "100"));

        VirtContainers other = fx.newInstance();

        SandboxStatus status = other.statusSandbox("pod");
        assertEquals(State.RUNNING, status.state());
        assertEquals(fx.lastHypervisor().pids(), status.vmPids());
        assertEquals(List.of("web", "side"), status.containers().stream().map(ContainerStatus::id).toList());
        assertEquals(State.READY, other.statusContainer("pod", "side").state());
        assertEquals("yes", other.sandbox("pod").annotation("io.vcj.test").orElseThrow());
        assertEquals(List.of("pod"), other.listSandbox().stream().map(SandboxStatus::id).toList());
    }

    @Test
    void anotherProcessCanDriveTheGuestThroughTheSavedAgentChannel() {
        fx.vc.runSandbox(fx.sandbox("pod", fx.container("web", "sleep", "100")));
        fx.vc.close();
        VirtContainers other = fx.newInstance();

        other.killContainer("pod", "web", 9, true);

        assertEquals(128 + 9, other.waitProcess("pod", "web", "web").code());
        assertEquals(State.STOPPED, fx.newInstance().statusContainer("pod", "web").state());
    }

    @Test
    void anotherProcessCanStopAndDeleteBySavedPids() {
        fx.vc.runSandbox(fx.sandbox("pod", fx.container("web", "sleep", "100")));
        MockHypervisor hypervisor = fx.lastHypervisor();
        VirtContainers other = fx.newInstance();

        other.stopSandbox("pod");

        assertFalse(hypervisor.running());
        assertEquals(State.STOPPED, fx.vc.statusSandbox("pod").state());
        other.deleteSandbox("pod");
        assertFalse(Files.exists(fx.root.resolve("pod")));
        assertThrows(VcException.NotFound.class, () -> fx.vc.statusSandbox("pod"));
        assertTrue(fx.mounter.nothingMounted());
    }

    @Test
    void pausingAVmStartedElsewhereNeedsAHypervisorThatReattaches() {
        fx.vc.runSandbox(fx.sandbox("pod"));
        VirtContainers other = fx.newInstance();

        var e = assertThrows(VcException.Unavailable.class, () -> other.pauseSandbox("pod"));

        assertTrue(e.getMessage().contains("started by another process"), e.getMessage());
        assertEquals(State.RUNNING, other.statusSandbox("pod").state());
    }

    @Test
    void aVmThatDiedWhileNobodyWatchedReadsAsStopped() {
        fx.vc.runSandbox(fx.sandbox("pod", fx.container("web", "sleep", "100")));
        fx.vc.close();
        fx.lastHypervisor().crash();

        VirtContainers other = fx.newInstance();

        assertEquals(State.STOPPED, other.statusSandbox("pod").state());
        assertEquals(ExitStatus.VM_DIED, other.waitProcess("pod", "web", "web").code());
        other.deleteSandbox("pod");
        assertFalse(Files.exists(fx.root.resolve("pod")));
    }

    @Test
    void aSandboxRecreatedElsewhereIsNotMistakenForTheOldOne() {
        fx.vc.runSandbox(fx.sandbox("pod", fx.container("web", "sleep", "100")));
        fx.vc.statusSandbox("pod");
        VirtContainers other = fx.newInstance();
        other.stopSandbox("pod");
        other.deleteSandbox("pod");
        other.runSandbox(fx.sandbox("pod", fx.container("web", "sleep", "100")));
        MockHypervisor second = fx.lastHypervisor();

        fx.vc.killContainer("pod", "web", 9, true);

        assertEquals(128 + 9, fx.vc.waitProcess("pod", "web", "").code());
        assertTrue(second.guest().calls.contains("signalProcess"));
        assertEquals(State.RUNNING, other.statusSandbox("pod").state());
    }

    @Test
    void theLeftoversOfACreateThatDiedEarlyCanBeDeleted() throws Exception {
        Path leftover = Files.createDirectories(fx.root.resolve("pod/shared"));

        assertTrue(fx.vc.listSandbox().isEmpty());
        assertThrows(VcException.AlreadyExists.class, () -> fx.vc.createSandbox(fx.sandbox("pod")));
        fx.vc.deleteSandbox("pod");

        assertFalse(Files.exists(leftover.getParent()));
        fx.vc.createSandbox(fx.sandbox("pod"));
        assertEquals(State.READY, fx.vc.statusSandbox("pod").state());
    }

    @Test
    void stateIsPlainJsonInTheSandboxDirectory() throws Exception {
        fx.vc.createSandbox(fx.sandbox("pod", fx.container("web", "sleep", "100")));
        var state = new ObjectMapper().readTree(fx.root.resolve("pod/state.json").toFile());
        assertEquals("pod", state.path("id").asText());
        assertEquals("READY", state.path("state").asText());
        assertEquals("serialSocket", state.path("agentChannel").path("kind").asText());
        assertEquals("web", state.path("containers").get(0).path("id").asText());
        assertFalse(Files.exists(fx.root.resolve("pod/state.json.tmp")));
    }

    @Test
    void twoInstancesRacingForOneIdLeaveOneSandbox() throws Exception {
        VirtContainers other = fx.newInstance();
        var results = new java.util.concurrent.ConcurrentLinkedQueue<Object>();
        List<Thread> threads = List.of(
                Thread.ofVirtual().start(() -> results.add(outcome(() -> fx.vc.createSandbox(fx.sandbox("pod"))))),
                Thread.ofVirtual().start(() -> results.add(outcome(() -> other.createSandbox(fx.sandbox("pod"))))));
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(1, results.stream().filter(r -> r instanceof VCSandbox).count(), results.toString());
        assertEquals(1, results.stream().filter(r -> r instanceof VcException.AlreadyExists).count());
        assertEquals(State.READY, fx.vc.statusSandbox("pod").state());
    }

    @Test
    void concurrentCallsFromSeveralInstancesLoseNoUpdate() throws Exception {
        fx.vc.runSandbox(fx.sandbox("pod"));
        List<VirtContainers> instances = List.of(fx.vc, fx.newInstance(), fx.newInstance());
        var threads = new java.util.ArrayList<Thread>();
        var failures = new java.util.concurrent.ConcurrentLinkedQueue<Throwable>();
        for (int i = 0; i < 12; i++) {
            VirtContainers vc = instances.get(i % instances.size());
            String id = "c" + i;
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    vc.createContainer("pod", fx.container(id, "sleep", "100"));
                    vc.startContainer("pod", id);
                } catch (Throwable t) {
                    failures.add(t);
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        assertTrue(failures.isEmpty(), failures.toString());
        List<ContainerStatus> containers = fx.vc.statusSandbox("pod").containers();
        assertEquals(12, containers.size());
        assertTrue(containers.stream().allMatch(c -> c.state() == State.RUNNING));
    }

    private static Object outcome(java.util.function.Supplier<Object> call) {
        try {
            return call.get();
        } catch (VcException e) {
            return e;
        }
    }
}
