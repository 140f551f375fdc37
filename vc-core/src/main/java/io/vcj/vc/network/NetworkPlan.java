package io.vcj.vc.network;

import io.vcj.vc.agent.NetInterface;
import io.vcj.vc.agent.Neighbor;
import io.vcj.vc.agent.Route;
import io.vcj.vc.hypervisor.Device;

import java.util.List;

/**
 * What a sandbox's network needs: NICs to cold-plug into the VM, and the interfaces, routes and
 * neighbours the agent configures in the guest once it is up.
 */
public record NetworkPlan(List<Device.Network> devices, List<NetInterface> interfaces, List<Route> routes,
                          List<Neighbor> neighbors) {

    public static final NetworkPlan EMPTY = new NetworkPlan(List.of(), List.of(), List.of(), List.of());

    public NetworkPlan {
        devices = List.copyOf(devices);
        interfaces = List.copyOf(interfaces);
        routes = List.copyOf(routes);
        neighbors = List.copyOf(neighbors);
    }
}
