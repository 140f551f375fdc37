package io.vcj.vc.hypervisor;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A virtual machine monitor as the sandbox sees it: one VM per sandbox, driven through its whole
 * life by one instance. Implementations live outside vc-core (QEMU in module {@code qemu}).
 *
 * <p>Call order: {@link #createVM}, any number of {@link #addDevice} (cold-plug), {@link #startVM},
 * then pause/resume/hotplug while running, and finally {@link #stopVM}. Every method fails with
 * {@link HypervisorException} naming what went wrong; a failed {@code startVM} leaves no process.
 *
 * <p>VM templates (optional): a VM started after {@link #bootToBeTemplate} is saved with
 * {@link #saveVM}; a VM started after {@link #bootFromTemplate} resumes that saved VM instead of
 * booting. Hypervisors that cannot do it keep the defaults, which refuse.
 */
public interface Hypervisor {

    /** Checks the configuration and prepares the VM's run directory; starts nothing. */
    void createVM(String sandboxId, HypervisorConfig config, Path runDir);

    /** Runs the VM in the sandbox's network namespace, where its tap devices are. Before {@link #startVM}. */
    void networkNamespace(Path netns);

    /**
     * Makes the VM {@link #startVM} starts one to be saved as {@code template}: its RAM lives in the
     * template's memory file. Between {@link #createVM} and {@link #startVM}.
     */
    default void bootToBeTemplate(VmTemplate template) {
        throw new HypervisorException(getClass().getSimpleName() + " cannot make VM templates");
    }

    /**
     * Makes {@link #startVM} resume {@code template} instead of booting: the guest goes on from where
     * the template was saved, its RAM copy-on-write from the template's memory file. Only devices the
     * template VM had may be cold-plugged; others are hot-plugged once it runs. Between
     * {@link #createVM} and {@link #startVM}.
     */
    default void bootFromTemplate(VmTemplate template) {
        throw new HypervisorException(getClass().getSimpleName() + " cannot start VMs from templates");
    }

    /** Pauses a VM started after {@link #bootToBeTemplate} and writes its device state into the template. */
    default void saveVM() {
        throw new HypervisorException(getClass().getSimpleName() + " cannot save VMs");
    }

    /** Cold-plugs a device: only before {@link #startVM}. */
    void addDevice(Device device);

    /** Starts the VM and returns once the hypervisor process is up and controllable. */
    void startVM(Duration timeout);

    /** Stops the VM: gracefully within {@code grace}, then by force. Idempotent. */
    void stopVM(Duration grace);

    void pauseVM();

    void resumeVM();

    /** Adds a device to the running VM and returns where the guest will find it. */
    HotplugResult hotplugAddDevice(Device device);

    void hotplugRemoveDevice(Device device);

    /** Host pids of the VM's processes (the VMM, and helpers such as virtiofsd). */
    List<Long> pids();

    Capabilities capabilities();

    /** Where the guest agent can be reached once the guest is up. */
    AgentChannel agentChannel();

    /** Completes when the VM process has exited, for whatever reason, with its exit status. */
    CompletableFuture<Integer> exited();
}
