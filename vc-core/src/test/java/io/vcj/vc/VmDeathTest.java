package io.vcj.vc;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** When the VM dies under its containers, their processes surface as exited instead of hanging. */
class VmDeathTest extends FixtureTest {
    @Test
    void waitersOfEveryProcessLearnTheVmDied() {
        fx.vc.runSandbox(fx.sandbox("pod", fx.container("web", "sleep", "100")));
        fx.vc.enterContainer("pod", "web", "shell", io.vcj.vc.config.Cmd.of("sleep", "100"));
        var initWait = CompletableFuture.supplyAsync(() -> fx.vc.waitProcess("pod", "web", "web"));
        var execWait = CompletableFuture.supplyAsync(() -> fx.vc.waitProcess("pod", "web", "shell"));

        fx.lastHypervisor().crash();

        assertEquals(ExitStatus.VM_DIED, initWait.join().code());
        assertEquals(ExitStatus.VM_DIED, execWait.join().code());
        assertEquals(State.STOPPED, fx.vc.statusContainer("pod", "web").state());
        assertEquals(State.STOPPED, fx.vc.statusSandbox("pod").state());
    }

    @Test
    void aSandboxWhoseVmDiedCanBeDeleted() {
        fx.vc.runSandbox(fx.sandbox("pod", fx.container("web", "sleep", "100")));
        fx.lastHypervisor().crash();
        assertEquals(ExitStatus.VM_DIED, fx.vc.waitProcess("pod", "web", "web").code());

        fx.vc.deleteContainer("pod", "web");
        fx.vc.deleteSandbox("pod");

        assertFalse(Files.exists(fx.root.resolve("pod")));
        assertTrue(fx.mounter.nothingMounted());
    }
}
