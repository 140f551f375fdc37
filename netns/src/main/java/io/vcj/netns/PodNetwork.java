package io.vcj.netns;

import io.vcj.vc.agent.Neighbor;
import io.vcj.vc.agent.Route;

import java.util.List;

/** What CNI configured in a pod's network namespace, as the guest should have it. */
record PodNetwork(List<PodInterface> interfaces, List<Route> routes, List<Neighbor> neighbors) {
    PodNetwork {
        interfaces = List.copyOf(interfaces);
        routes = List.copyOf(routes);
        neighbors = List.copyOf(neighbors);
    }
}
