package io.vcj.vc.sandbox;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vcj.vc.VcException;
import io.vcj.vc.agent.Agent;
import io.vcj.vc.agent.CreateContainerRequest;
import io.vcj.vc.agent.Storage;
import io.vcj.vc.config.Cmd;
import io.vcj.vc.config.LinuxCapabilities;
import io.vcj.vc.config.Mount;
import io.vcj.vc.config.OciSpecs;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One throwaway container, run and removed in a template VM before it is saved, so that every VM
 * resumed from the template finds the agent's container path warm (its classes initialised, its
 * hot code compiled, the guest kernel's caches filled). Under TCG a resumed VM's first container
 * otherwise comes up ~350 ms later than its next ones.
 *
 * <p>The container needs nothing from the host: its rootfs is an empty tmpfs the agent mounts
 * ("ephemeral" storage, unmounted with the container), and it runs {@code /bin/true} from the
 * guest's own {@code /bin}, bound in read-only.
 */
final class TemplateWarmUp {
    static final String CONTAINER_ID = "vcj-template-warm-up";

    private static final Logger LOG = LogManager.getLogger(TemplateWarmUp.class);
    private static final String ROOTFS = "/run/vcj/template-warm-up";
    private static final Cmd TRUE = new Cmd(List.of("/bin/true"), List.of("PATH=/bin"), "/", "0", null, List.of(),
            false, false, true, LinuxCapabilities.NONE);
    private static final int READ_BYTES = 4096;
    /** runc takes ~2 s for it under TCG, and the template's lock holds every pod of its kind meanwhile. */
    private static final Duration RUN_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration REMOVE_TIMEOUT = Duration.ofSeconds(10);

    private TemplateWarmUp() {
    }

    /**
     * Best effort: a guest that cannot run the container (no {@code /bin/true}, say) or takes too
     * long gives a cold template, which works all the same. A container that may still be there
     * afterwards fails the template: every pod resumed from it would find it.
     */
    static void run(Agent agent) {
        long started = System.nanoTime();
        try {
            agent.createContainer(request());
        } catch (RuntimeException e) {
            LOG.warn("VM template warm-up: cannot create its container, the template is saved cold: {}", e.getMessage());
            removeIfThere(agent);
            return;
        }
        try {
            int status = CompletableFuture.supplyAsync(() -> runToExit(agent), Thread::startVirtualThread)
                    .get(RUN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (status == 0) {
                LOG.info("VM template warm-up: container ran in {} ms", (System.nanoTime() - started) / 1_000_000);
            } else {
                LOG.warn("VM template warm-up: its container exited {}, the template is saved as warm as it got", status);
            }
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("VM template warm-up: its container did not run within {} s, the template is saved cold: {}",
                    RUN_TIMEOUT.toSeconds(), e.getCause() == null ? e.toString() : e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VcException.FailedPrecondition("interrupted while warming up the VM template");
        } finally {
            // Kills what still runs in it, so that a wait left behind above returns.
            agent.removeContainer(CONTAINER_ID, REMOVE_TIMEOUT);
        }
    }

    /** Starts it, reads its output to the end as a pod's is read, and returns its exit status. */
    private static int runToExit(Agent agent) {
        agent.startContainer(CONTAINER_ID);
        while (agent.readStdout(CONTAINER_ID, "", READ_BYTES).length > 0) {
            // what /bin/true prints, which is nothing
        }
        return agent.waitProcess(CONTAINER_ID, "").code();
    }

    /** After a failed create: the guest may have made it all the same (say the reply was lost). */
    private static void removeIfThere(Agent agent) {
        try {
            agent.removeContainer(CONTAINER_ID, REMOVE_TIMEOUT);
        } catch (VcException.NotFound e) {
            // it was not made: nothing to remove
        }
    }

    private static CreateContainerRequest request() {
        ObjectNode spec = OciSpecs.build(TRUE, true, List.of(new Mount("/bin", "/bin", "bind", List.of("rbind", "ro"))),
                Map.of(), "template");
        ((ObjectNode) spec.get("root")).put("path", ROOTFS);
        Storage rootfs = new Storage("ephemeral", "tmpfs", "tmpfs", List.of(), ROOTFS);
        return new CreateContainerRequest(CONTAINER_ID, CONTAINER_ID, spec, ROOTFS, List.of(rootfs), List.of(), false);
    }
}
