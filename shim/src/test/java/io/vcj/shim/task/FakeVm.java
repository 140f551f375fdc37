package io.vcj.shim.task;

import io.vcj.vc.hypervisor.AgentChannel;
import io.vcj.vc.hypervisor.Capabilities;
import io.vcj.vc.hypervisor.Device;
import io.vcj.vc.hypervisor.HotplugResult;
import io.vcj.vc.hypervisor.Hypervisor;
import io.vcj.vc.hypervisor.HypervisorConfig;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** A "VM" that is only a {@link FakeGuest}, standing in this JVM's pid for the VMM's. */
final class FakeVm implements Hypervisor {
    private final Map<AgentChannel, FakeGuest> guests;
    private final CompletableFuture<Integer> exited = new CompletableFuture<>();
    private Path runDir;

    FakeVm(Map<AgentChannel, FakeGuest> guests) {
        this.guests = guests;
    }

    @Override
    public void createVM(String sandboxId, HypervisorConfig config, Path runDir) {
        this.runDir = runDir;
    }

    @Override
    public void addDevice(Device device) {
    }

    @Override
    public void startVM(Duration timeout) {
        guests.put(agentChannel(), new FakeGuest());
    }

    @Override
    public void stopVM(Duration grace) {
        FakeGuest guest = guests.remove(agentChannel());
        if (guest != null) {
            guest.die();
        }
        exited.complete(0);
    }

    @Override
    public void pauseVM() {
    }

    @Override
    public void resumeVM() {
    }

    @Override
    public HotplugResult hotplugAddDevice(Device device) {
        return new HotplugResult("02/01");
    }

    @Override
    public void hotplugRemoveDevice(Device device) {
    }

    @Override
    public List<Long> pids() {
        return List.of(ProcessHandle.current().pid());
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
