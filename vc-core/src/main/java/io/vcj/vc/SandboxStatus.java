package io.vcj.vc;

import java.util.List;
import java.util.Map;

/** A sandbox as last recorded, with its containers. */
public record SandboxStatus(String id, State state, String hypervisorType, String agentType,
                           List<Long> vmPids, Map<String, String> annotations, List<ContainerStatus> containers) {
    public SandboxStatus {
        vmPids = List.copyOf(vmPids);
        annotations = Map.copyOf(annotations);
        containers = List.copyOf(containers);
    }
}
