package io.vcj.vc.agent;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * Creates a container in the guest, its init process not started yet.
 *
 * @param execId   the container id, as Kata sends it (later calls name the init process by {@code ""})
 * @param ociSpec  the OCI spec as the guest must use it: {@code root.path} is {@code guestRootfs},
 *                 host-only parts (hooks, namespace paths, network namespace) removed, shared bind
 *                 mount sources rewritten to guest paths
 * @param storages what to mount before the container is created (e.g. a block rootfs)
 * @param devices  hot-plugged devices to expose in the container
 * @param stdin    whether the caller will write to the init process's stdin
 */
public record CreateContainerRequest(String containerId, String execId, ObjectNode ociSpec, String guestRootfs,
                                     List<Storage> storages, List<GuestDevice> devices, boolean stdin) {
    public CreateContainerRequest {
        storages = List.copyOf(storages);
        devices = List.copyOf(devices);
    }

    /** Whether the init process runs on a terminal, as the spec says. */
    public boolean terminal() {
        return ociSpec.path("process").path("terminal").asBoolean(false);
    }
}
