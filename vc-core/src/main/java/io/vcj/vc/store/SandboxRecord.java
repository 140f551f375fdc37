package io.vcj.vc.store;

import io.vcj.vc.State;
import io.vcj.vc.config.SandboxConfig;
import io.vcj.vc.hypervisor.AgentChannel;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * A sandbox as persisted: enough for another process to list, inspect, stop and delete it.
 *
 * @param vmPids       host pids of the VM's processes, for a process that cannot re-attach the hypervisor
 * @param agentChannel where the guest agent listens
 * @param annotations  the config's annotations, as later updated
 */
public record SandboxRecord(String id, SandboxConfig config, State state, List<Long> vmPids,
                            AgentChannel agentChannel, Instant createdAt, Map<String, String> annotations,
                            List<ContainerRecord> containers) {

    public SandboxRecord {
        vmPids = List.copyOf(vmPids);
        annotations = Map.copyOf(annotations);
        containers = List.copyOf(containers);
    }

    public SandboxRecord withState(State newState) {
        return new SandboxRecord(id, config, newState, vmPids, agentChannel, createdAt, annotations, containers);
    }

    public SandboxRecord withVm(List<Long> pids, AgentChannel channel) {
        return new SandboxRecord(id, config, state, pids, channel, createdAt, annotations, containers);
    }

    public SandboxRecord withAnnotations(Map<String, String> newAnnotations) {
        return new SandboxRecord(id, config, state, vmPids, agentChannel, createdAt, newAnnotations, containers);
    }

    public Optional<ContainerRecord> container(String containerId) {
        return containers.stream().filter(c -> c.id().equals(containerId)).findFirst();
    }

    /** Adds or replaces the container with the same id, keeping creation order. */
    public SandboxRecord withContainer(ContainerRecord container) {
        var updated = new ArrayList<ContainerRecord>();
        boolean replaced = false;
        for (ContainerRecord c : containers) {
            boolean same = c.id().equals(container.id());
            updated.add(same ? container : c);
            replaced |= same;
        }
        if (!replaced) {
            updated.add(container);
        }
        return new SandboxRecord(id, config, state, vmPids, agentChannel, createdAt, annotations, updated);
    }

    public SandboxRecord withEachContainer(UnaryOperator<ContainerRecord> change) {
        return new SandboxRecord(id, config, state, vmPids, agentChannel, createdAt, annotations,
                containers.stream().map(change).toList());
    }

    public SandboxRecord withoutContainer(String containerId) {
        return new SandboxRecord(id, config, state, vmPids, agentChannel, createdAt, annotations,
                containers.stream().filter(c -> !c.id().equals(containerId)).toList());
    }
}
