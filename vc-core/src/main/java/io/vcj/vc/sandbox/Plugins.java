package io.vcj.vc.sandbox;

import io.vcj.vc.HypervisorFactory;
import io.vcj.vc.VcException;
import io.vcj.vc.agent.AgentFactory;
import io.vcj.vc.device.VfioDevices;
import io.vcj.vc.host.HostMounter;
import io.vcj.vc.network.NetworkSetup;

import java.util.Map;

/** The implementations vc-core drives without knowing them, chosen by the caller. */
public record Plugins(Map<String, HypervisorFactory> hypervisors, Map<String, AgentFactory> agents,
                      NetworkSetup network, HostMounter mounter, VfioDevices vfio) {

    public Plugins {
        hypervisors = Map.copyOf(hypervisors);
        agents = Map.copyOf(agents);
    }

    HypervisorFactory hypervisor(String type) {
        HypervisorFactory factory = hypervisors.get(type);
        if (factory == null) {
            throw new VcException.InvalidArgument("unknown hypervisor type '" + type + "'");
        }
        return factory;
    }

    AgentFactory agent(String type) {
        AgentFactory factory = agents.get(type);
        if (factory == null) {
            throw new VcException.InvalidArgument("unknown agent type '" + type + "'");
        }
        return factory;
    }
}
