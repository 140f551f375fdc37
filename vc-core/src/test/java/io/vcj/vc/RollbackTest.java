package io.vcj.vc;

import io.vcj.vc.hypervisor.HypervisorConfig;
import io.vcj.vc.mock.MockHypervisor;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A failed create leaves no state directory, no running VM and no mount. */
class RollbackTest extends FixtureTest {

    private void assertNothingLeft() {
        assertFalse(Files.exists(fx.root.resolve("pod")), "state directory left behind");
        assertTrue(fx.vc.listSandbox().isEmpty());
        assertTrue(fx.mounter.nothingMounted(), fx.mounter.toString());
        assertTrue(fx.hypervisors.stream().noneMatch(MockHypervisor::running), "VM left running");
    }

    @Test
    void aVmThatFailsToStartLeavesNothing() {
        fx.faults.failOn("startVM");
        var e = assertThrows(VcException.Unavailable.class, () -> fx.vc.createSandbox(fx.sandbox("pod")));
        assertTrue(e.getMessage().contains("VM failed to start"), e.getMessage());
        assertNothingLeft();
    }

    @Test
    void anAgentThatDoesNotAnswerLeavesNothing() {
        fx.faults.failOn("connect");
        assertThrows(VcException.Unavailable.class,
                () -> fx.vc.createSandbox(fx.sandbox("pod", fx.container("web", "ls"))));
        assertEquals(1, fx.hypervisors.size());
        assertNothingLeft();
    }

    @Test
    void aContainerTheGuestRefusesUndoesTheWholeSandbox() {
        fx.faults.failOn("createContainer");
        assertThrows(VcException.Unavailable.class,
                () -> fx.vc.createSandbox(fx.sandbox("pod", fx.container("web", "ls"))));
        assertNothingLeft();
    }

    @Test
    void aFailedRunDeletesTheSandboxItCreated() {
        fx.faults.failOn("startContainer");
        assertThrows(VcException.Unavailable.class,
                () -> fx.vc.runSandbox(fx.sandbox("pod", fx.container("web", "ls"))));
        assertNothingLeft();
    }

    @Test
    void aMissingKernelIsNamedBeforeAnyVmIsMade() {
        HypervisorConfig good = fx.hypervisorConfig();
        Path missing = tmp.resolve("no-such-kernel");
        var bad = new HypervisorConfig(missing, good.initrdPath(), null, null, good.hypervisorPath(), "q35", null,
                "auto", List.of(), List.of(), 1, 128, null, null, null, false, Map.of());
        var e = assertThrows(VcException.InvalidArgument.class, () -> fx.vc.createSandbox(fx.sandbox("pod", bad)));
        assertTrue(e.getMessage().contains("kernel") && e.getMessage().contains(missing.toString()), e.getMessage());
        assertTrue(fx.hypervisors.isEmpty());
        assertNothingLeft();
    }

    @Test
    void aHypervisorThatIsNotExecutableIsNamed() throws Exception {
        HypervisorConfig good = fx.hypervisorConfig();
        Path notExecutable = Files.writeString(tmp.resolve("qemu"), "");
        var bad = new HypervisorConfig(good.kernelPath(), good.initrdPath(), null, null, notExecutable, "q35", null,
                "auto", List.of(), List.of(), 1, 128, null, null, null, false, Map.of());
        var e = assertThrows(VcException.InvalidArgument.class, () -> fx.vc.createSandbox(fx.sandbox("pod", bad)));
        assertTrue(e.getMessage().contains("not executable"), e.getMessage());
        assertNothingLeft();
    }

    @Test
    void unknownHypervisorAndAgentTypesAreNamed() {
        var otherHypervisor = io.vcj.vc.config.SandboxConfig.builder("pod").vm(1, 128)
                .hypervisor("firecracker", fx.hypervisorConfig()).agent("mock", null).build();
        var e = assertThrows(VcException.InvalidArgument.class, () -> fx.vc.createSandbox(otherHypervisor));
        assertTrue(e.getMessage().contains("firecracker"), e.getMessage());
        assertNothingLeft();
    }
}
