package io.vcj.shim;

import io.vcj.kata.client.KataAgentFactory;
import io.vcj.netns.PodNetworkSetup;
import io.vcj.qemu.QemuHypervisor;
import io.vcj.shim.config.VcjConfig;
import io.vcj.vc.HypervisorFactory;
import io.vcj.vc.VirtContainers;

/**
 * The virtcontainers a vcj shim drives: QEMU VMs with the kata agent, connected to their pod's
 * network namespace, state under the config's root.
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
                .build();
    }
}
