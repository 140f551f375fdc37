package io.vcj.virtc;

import io.vcj.vc.ContainerStatus;
import io.vcj.vc.ExitStatus;
import io.vcj.vc.SandboxStatus;

import java.util.List;

/** Sandboxes and containers as virtc shows them: JSON records for --json, tables for people. */
final class Views {

    private Views() {
    }

    record SandboxView(String id, String state, String hypervisor, String agent, List<Long> vmPids,
                       List<ContainerView> containers) {
    }

    /** @param vmPid the pid of the VM the container runs in: guest pids mean nothing on the host */
    record ContainerView(String id, String state, long vmPid, String startTime, String rootfs, Integer exitCode,
                         String exitedAt) {
    }

    static SandboxView sandbox(SandboxStatus status) {
        return new SandboxView(status.id(), status.state().lowerCase(), status.hypervisorType(), status.agentType(),
                status.vmPids(), status.containers().stream().map(Views::container).toList());
    }

    static ContainerView container(ContainerStatus status) {
        ExitStatus exit = status.exitStatus();
        return new ContainerView(status.id(), status.state().lowerCase(), status.pid(),
                status.startTime() == null ? null : status.startTime().toString(), status.rootfs(),
                exit == null ? null : exit.code(), exit == null ? null : exit.exitedAt().toString());
    }

    static String sandboxTable(List<SandboxStatus> sandboxes) {
        var table = new Table("ID", "STATE", "HYPERVISOR", "AGENT", "VM PID", "CONTAINERS");
        for (SandboxStatus sandbox : sandboxes) {
            table.row(sandbox.id(), sandbox.state().lowerCase(), sandbox.hypervisorType(), sandbox.agentType(),
                    vmPid(sandbox.vmPids()), sandbox.containers().size());
        }
        return table.render();
    }

    static String containerTable(List<ContainerStatus> containers) {
        var table = new Table("ID", "STATE", "VM PID", "STARTED", "EXIT", "ROOTFS");
        for (ContainerStatus container : containers) {
            table.row(container.id(), container.state().lowerCase(), container.pid() == 0 ? "" : container.pid(),
                    container.startTime(), container.exitStatus() == null ? "" : container.exitStatus().code(),
                    container.rootfs());
        }
        return table.render();
    }

    /** The sandbox's line, then its containers' table if it has any. */
    static String sandboxText(SandboxStatus sandbox) {
        String line = "sandbox " + sandbox.id() + ": " + sandbox.state().lowerCase() + " (" + sandbox.hypervisorType()
                + ", agent " + sandbox.agentType() + (sandbox.vmPids().isEmpty() ? "" : ", VM pid "
                + vmPid(sandbox.vmPids())) + ")\n";
        return sandbox.containers().isEmpty() ? line : line + "\n" + containerTable(sandbox.containers());
    }

    private static String vmPid(List<Long> pids) {
        return pids.isEmpty() ? "" : pids.getFirst().toString();
    }
}
