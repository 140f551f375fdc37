package io.vcj.vc.store;

import io.vcj.vc.ExitStatus;
import io.vcj.vc.State;
import io.vcj.vc.config.ContainerConfig;
import io.vcj.vc.hypervisor.Device;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A container as persisted.
 *
 * @param guestRootfs  where the guest sees its rootfs
 * @param hotplugged   devices hot-plugged for it (disks, VFIO functions), to unplug
 * @param exitStatus   its init process's exit, null while it runs
 */
public record ContainerRecord(String id, ContainerConfig config, State state, String guestRootfs,
                              List<Device> hotplugged, Instant startTime,
                              ExitStatus exitStatus, List<ExecRecord> execs) {

    public ContainerRecord {
        hotplugged = List.copyOf(hotplugged);
        execs = List.copyOf(execs);
    }

    public ContainerRecord withState(State newState) {
        return new ContainerRecord(id, config, newState, guestRootfs, hotplugged, startTime,
                exitStatus, execs);
    }

    public ContainerRecord started(Instant at) {
        return new ContainerRecord(id, config, State.RUNNING, guestRootfs, hotplugged, at, null, execs);
    }

    /** Its init process ended: the container stops, and so does any process it left behind. */
    public ContainerRecord exited(ExitStatus status) {
        var endedExecs = execs.stream().map(e -> e.exitStatus() == null ? e.withExit(status) : e).toList();
        return new ContainerRecord(id, config, State.STOPPED, guestRootfs, hotplugged, startTime,
                status, endedExecs);
    }

    /** Its devices are unplugged (or gone with the VM). */
    public ContainerRecord unplugged() {
        return new ContainerRecord(id, config, state, guestRootfs, List.of(), startTime, exitStatus, execs);
    }

    public Optional<ExecRecord> exec(String execId) {
        return execs.stream().filter(e -> e.execId().equals(execId)).findFirst();
    }

    public ContainerRecord withExec(ExecRecord exec) {
        var updated = new ArrayList<>(execs.stream().filter(e -> !e.execId().equals(exec.execId())).toList());
        updated.add(exec);
        return new ContainerRecord(id, config, state, guestRootfs, hotplugged, startTime, exitStatus,
                updated);
    }

    public ContainerRecord withoutExec(String execId) {
        return new ContainerRecord(id, config, state, guestRootfs, hotplugged, startTime, exitStatus,
                execs.stream().filter(e -> !e.execId().equals(execId)).toList());
    }
}
