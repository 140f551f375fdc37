package io.vcj.vc.mock;

import io.vcj.vc.hypervisor.AgentChannel;
import io.vcj.vc.hypervisor.Capabilities;
import io.vcj.vc.hypervisor.Device;
import io.vcj.vc.hypervisor.HotplugResult;
import io.vcj.vc.hypervisor.Hypervisor;
import io.vcj.vc.hypervisor.HypervisorConfig;
import io.vcj.vc.hypervisor.HypervisorException;
import io.vcj.vc.hypervisor.VmTemplate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@link Hypervisor} whose "VM" is a real {@code sleep} process (so its pid can be watched and killed
 * from elsewhere) with a {@link MockGuest} inside.
 */
public final class MockHypervisor implements Hypervisor {
    private final Faults faults;
    public final List<Device> coldPlugged = new CopyOnWriteArrayList<>();
    public final List<Device> hotPlugged = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Integer> exited = new CompletableFuture<>();
    private Path runDir;
    private java.lang.Process vm;
    private MockGuest guest;
    public volatile boolean paused;
    public volatile Path netns;
    /** Set when this VM was started to be a template ... */
    public volatile VmTemplate toBeTemplate;
    /** ... and then saved as one. */
    public volatile boolean saved;
    /** Set when this VM resumes a template instead of booting. */
    public volatile VmTemplate resumedFrom;

    public MockHypervisor(Faults faults) {
        this.faults = faults;
    }

    @Override
    public void createVM(String sandboxId, HypervisorConfig config, Path runDir) {
        this.runDir = runDir;
    }

    @Override
    public void networkNamespace(Path netns) {
        this.netns = netns;
    }

    @Override
    public void addDevice(Device device) {
        if (vm != null) {
            throw new HypervisorException("cold-plug after start");
        }
        coldPlugged.add(device);
    }

    @Override
    public void bootToBeTemplate(VmTemplate template) {
        if (faults.fails("bootToBeTemplate")) {
            throw new HypervisorException("this VM cannot be a template");
        }
        toBeTemplate = template;
    }

    @Override
    public void bootFromTemplate(VmTemplate template) {
        resumedFrom = template;
    }

    @Override
    public void saveVM() {
        try {
            Files.writeString(toBeTemplate.memoryFile(), "guest RAM");
            Files.writeString(toBeTemplate.stateFile(), "device state");
        } catch (IOException e) {
            throw new HypervisorException("cannot save", e);
        }
        saved = true;
    }

    @Override
    public void startVM(Duration timeout) {
        if (faults.fails("startVM") || (resumedFrom != null && faults.fails("resume"))) {
            throw new HypervisorException("VM failed to start");
        }
        try {
            vm = new ProcessBuilder("sleep", "600").start();
        } catch (IOException e) {
            throw new HypervisorException("cannot start sleep", e);
        }
        guest = MockGuest.boot(agentChannel());
        vm.onExit().thenAccept(p -> {
            guest.die(agentChannel());
            exited.complete(p.exitValue());
        });
    }

    @Override
    public void stopVM(Duration grace) {
        if (vm != null) {
            vm.destroyForcibly();
            exited.join();
        }
    }

    /** The VM dies on its own. */
    public void crash() {
        vm.destroyForcibly();
        exited.join();
    }

    public boolean running() {
        return vm != null && vm.isAlive();
    }

    public MockGuest guest() {
        return guest;
    }

    @Override
    public void pauseVM() {
        paused = true;
    }

    @Override
    public void resumeVM() {
        paused = false;
    }

    @Override
    public HotplugResult hotplugAddDevice(Device device) {
        hotPlugged.add(device);
        return new HotplugResult("02/0" + hotPlugged.size());
    }

    @Override
    public void hotplugRemoveDevice(Device device) {
        hotPlugged.remove(device);
    }

    @Override
    public List<Long> pids() {
        return vm == null ? List.of() : List.of(vm.pid());
    }

    @Override
    public Capabilities capabilities() {
        return new Capabilities(true, false, true, false);
    }

    @Override
    public AgentChannel agentChannel() {
        return new AgentChannel.SerialSocket(runDir.resolve("agent.sock"));
    }

    @Override
    public CompletableFuture<Integer> exited() {
        return exited;
    }
}
