package io.vcj.shim.task;

import java.util.Map;

/**
 * Which pod (VM) a container belongs to, from the annotations containerd's CRI plugin sets. A
 * container without them is a pod of its own, as with {@code ctr run}.
 *
 * @param sandboxId      the pod's id, which is also the vc sandbox id
 * @param createsSandbox whether this container brings up the pod's VM (and takes it down)
 */
record PodMembership(String sandboxId, boolean createsSandbox) {
    static final String CONTAINER_TYPE = "io.kubernetes.cri.container-type";
    static final String SANDBOX_ID = "io.kubernetes.cri.sandbox-id";

    static PodMembership of(String containerId, Map<String, String> annotations) {
        String type = annotations.getOrDefault(CONTAINER_TYPE, "");
        String sandboxId = annotations.getOrDefault(SANDBOX_ID, "");
        return switch (type) {
            case "container" -> {
                if (sandboxId.isEmpty()) {
                    throw new IllegalArgumentException("container " + containerId + " names no " + SANDBOX_ID);
                }
                yield new PodMembership(sandboxId, false);
            }
            case "sandbox" -> new PodMembership(sandboxId.isEmpty() ? containerId : sandboxId, true);
            case "" -> new PodMembership(containerId, true);
            default -> throw new IllegalArgumentException("unknown " + CONTAINER_TYPE + " '" + type + "'");
        };
    }
}
