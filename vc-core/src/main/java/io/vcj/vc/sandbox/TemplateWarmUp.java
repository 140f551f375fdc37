package io.vcj.vc.sandbox;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vcj.vc.ExitStatus;
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
    private static final Duration REMOVE_TIMEOUT = Duration.ofSeconds(10);

    private TemplateWarmUp() {
    }

    /**
     * Best effort: a guest that cannot run the container (no {@code /bin/true}, say) gives a cold
     * template, which works all the same. A container that cannot be removed fails the template:
     * every pod resumed from it would find it there.
     */
    static void run(Agent agent) {
        long started = System.nanoTime();
        try {
            agent.createContainer(request());
        } catch (RuntimeException e) {
            LOG.warn("VM template warm-up: cannot create its container, the template is saved cold: {}", e.getMessage());
            return;
        }
        try {
            agent.startContainer(CONTAINER_ID);
            while (agent.readStdout(CONTAINER_ID, "", READ_BYTES).length > 0) {
                // what /bin/true prints, which is nothing: read as a pod's output is, to EOF
            }
            ExitStatus status = agent.waitProcess(CONTAINER_ID, "");
            LOG.info("VM template warm-up: container ran in {} ms, exit status {}",
                    (System.nanoTime() - started) / 1_000_000, status.code());
        } catch (RuntimeException e) {
            LOG.warn("VM template warm-up: its container did not run, the template is saved cold: {}", e.getMessage());
        } finally {
            agent.removeContainer(CONTAINER_ID, REMOVE_TIMEOUT);
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
