package io.vcj.shim.task;

import io.vcj.shim.events.EventPublisher;
import io.vcj.shim.proto.task.TaskTtrpcService;
import io.vcj.vc.VirtContainers;

/**
 * containerd's {@code containerd.task.v2.Task} service over virtcontainers: one VM per pod.
 */
public final class VcjTaskService extends TaskTtrpcService {

    /**
     * @param vc        drives the pod's VM and containers
     * @param sandboxes makes the VM config when a pod's first container is created
     * @param events    where task events go (containerd's Events service)
     * @param shutdown  run once Shutdown is asked while no task is left; the shim should then exit
     */
    public VcjTaskService(VirtContainers vc, SandboxConfigFactory sandboxes, EventPublisher events, Runnable shutdown) {
    }
}
