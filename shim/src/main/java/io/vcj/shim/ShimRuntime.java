package io.vcj.shim;

import io.vcj.kata.client.KataAgentFactory;
import io.vcj.netns.PodNetworkSetup;
import io.vcj.qemu.QemuHypervisor;
import io.vcj.shim.config.VcjConfig;
import io.vcj.vc.HypervisorFactory;
import io.vcj.vc.VirtContainers;
import io.vcj.vfio.ContainerVfioDevices;
import io.vcj.vfio.HostFs;

/**
 * The virtcontainers a vcj shim drives: QEMU VMs with the kata agent, connected to their pod's
 * network namespace, VFIO groups read from the host's sysfs, state under the config's root.
 */
final class ShimRuntime {

    private ShimRuntime() {
    }

    static VirtContainers virtContainers(VcjConfig config) {
        return VirtContainers.builder()
                .root(config.stateRoot())
                .hypervisor(VcjConfig.HYPERVISOR_TYPE,
                        HypervisorFactory.withReattach(QemuHypervisor::new, QemuHypervisor::attach))
                .agent(VcjConfig.AGENT_TYPE, new KataAgentFactory())
                .network(new PodNetworkSetup())
                .vfio(new ContainerVfioDevices(HostFs.real()))
                .vmTemplates(config.templatePath())
                .build();
    }
}
