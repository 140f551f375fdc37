package io.vcj.vc.sandbox;

import io.vcj.vc.hypervisor.AgentChannel;
import io.vcj.vc.hypervisor.Capabilities;
import io.vcj.vc.hypervisor.Device;
import io.vcj.vc.hypervisor.HotplugResult;
import io.vcj.vc.hypervisor.Hypervisor;
import io.vcj.vc.hypervisor.HypervisorConfig;
import io.vcj.vc.hypervisor.HypervisorException;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A VM started by another process, known only by its recorded pids: it can be watched and stopped
 * (SIGTERM, then SIGKILL), nothing else. Used when the hypervisor type cannot re-attach.
 */
final class DetachedHypervisor implements Hypervisor {
    private final String sandboxId;
    private final List<Long> pids;
    private final AgentChannel channel;
    private final CompletableFuture<Integer> exited;

    DetachedHypervisor(String sandboxId, List<Long> pids, AgentChannel channel) {
        this.sandboxId = sandboxId;
        this.pids = List.copyOf(pids);
        this.channel = channel;
        CompletableFuture<?>[] exits = pids.stream()
                .map(ProcessHandle::of)
                .flatMap(Optional::stream)
                .map(ProcessHandle::onExit)
                .toArray(CompletableFuture[]::new);
        // Exit status of a process that is not our child cannot be known.
        this.exited = CompletableFuture.allOf(exits).thenApply(ignored -> -1);
    }

    /** Whether any of the VM's processes is still alive. */
    static boolean anyAlive(List<Long> pids) {
        return pids.stream().map(ProcessHandle::of).flatMap(Optional::stream).anyMatch(ProcessHandle::isAlive);
    }

    @Override
    public void stopVM(Duration grace) {
        List<ProcessHandle> alive = pids.stream().map(ProcessHandle::of).flatMap(Optional::stream)
                .filter(ProcessHandle::isAlive).toList();
        alive.forEach(ProcessHandle::destroy);
        try {
            exited.get(grace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            alive.forEach(ProcessHandle::destroyForcibly);
            exited.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HypervisorException("interrupted stopping the VM of sandbox " + sandboxId, e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new HypervisorException("cannot watch the VM of sandbox " + sandboxId, e.getCause());
        }
    }

    @Override
    public CompletableFuture<Integer> exited() {
        return exited;
    }

    @Override
    public List<Long> pids() {
        return pids;
    }

    @Override
    public AgentChannel agentChannel() {
        return channel;
    }

    @Override
    public Capabilities capabilities() {
        return new Capabilities(false, false, false, false);
    }

    @Override
    public void createVM(String id, HypervisorConfig config, Path runDir) {
        throw unsupported("create a VM");
    }

    @Override
    public void networkNamespace(Path netns) {
        throw unsupported("move the VM to a network namespace");
    }

    @Override
    public void addDevice(Device device) {
        throw unsupported("add a device");
    }

    @Override
    public void startVM(Duration timeout) {
        throw unsupported("start the VM");
    }

    @Override
    public void pauseVM() {
        throw unsupported("pause the VM");
    }

    @Override
    public void resumeVM() {
        throw unsupported("resume the VM");
    }

    @Override
    public HotplugResult hotplugAddDevice(Device device) {
        throw unsupported("hot-plug a device");
    }

    @Override
    public void hotplugRemoveDevice(Device device) {
        throw unsupported("hot-unplug a device");
    }

    private HypervisorException unsupported(String what) {
        return new HypervisorException("cannot " + what + " of sandbox " + sandboxId
                + ": its VM was started by another process and its hypervisor cannot re-attach");
    }
}
