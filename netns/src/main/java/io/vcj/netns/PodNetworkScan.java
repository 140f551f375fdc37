package io.vcj.netns;

import com.fasterxml.jackson.databind.JsonNode;
import io.vcj.vc.agent.Neighbor;
import io.vcj.vc.agent.Route;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads the pod's interfaces, routes and static neighbours from the current thread's network
 * namespace, the way Kata's endpoint scan does: only interfaces the VM can take over, no
 * link-local addresses, no routes the kernel derives from addresses, only permanent neighbours.
 */
final class PodNetworkScan {
    private static final Set<String> TAKEN_OVER_KINDS = Set.of("veth", "macvlan", "ipvlan");
    private static final Map<String, Integer> ROUTE_SCOPES = Map.of(
            "global", 0, "site", 200, "link", 253, "host", 254, "nowhere", 255);

    private PodNetworkScan() {
    }

    static PodNetwork scan() {
        List<PodInterface> interfaces = interfaces();
        Set<String> names = interfaces.stream().map(PodInterface::name).collect(Collectors.toSet());
        return new PodNetwork(interfaces, routes(names), neighbors(names));
    }

    private static List<PodInterface> interfaces() {
        List<PodInterface> interfaces = new ArrayList<>();
        for (JsonNode link : NetCommand.ipJson("-d", "addr", "show")) {
            if (TAKEN_OVER_KINDS.contains(link.path("linkinfo").path("info_kind").asText())) {
                interfaces.add(new PodInterface(link.path("ifname").asText(), link.path("address").asText(),
                        link.path("mtu").asInt(), addresses(link)));
            }
        }
        return interfaces;
    }

    private static List<String> addresses(JsonNode link) {
        List<String> addresses = new ArrayList<>();
        for (JsonNode address : link.path("addr_info")) {
            if (!"link".equals(address.path("scope").asText())) {
                addresses.add(address.path("local").asText() + "/" + address.path("prefixlen").asInt());
            }
        }
        return addresses;
    }

    private static List<Route> routes(Set<String> devices) {
        List<Route> routes = new ArrayList<>();
        for (String family : List.of("-4", "-6")) {
            for (JsonNode route : NetCommand.ipJson(family, "route", "show")) {
                String device = route.path("dev").asText();
                if (devices.contains(device) && !"kernel".equals(route.path("protocol").asText())) {
                    routes.add(new Route(route.path("dst").asText(), textOrNull(route, "gateway"), device,
                            textOrNull(route, "prefsrc"), ROUTE_SCOPES.getOrDefault(route.path("scope").asText("global"), 0)));
                }
            }
        }
        return routes;
    }

    private static List<Neighbor> neighbors(Set<String> devices) {
        List<Neighbor> neighbors = new ArrayList<>();
        for (JsonNode neighbor : NetCommand.ipJson("neigh", "show", "nud", "permanent")) {
            String device = neighbor.path("dev").asText();
            if (devices.contains(device) && neighbor.has("lladdr")) {
                neighbors.add(new Neighbor(neighbor.path("dst").asText(), neighbor.path("lladdr").asText(), device));
            }
        }
        return neighbors;
    }

    private static String textOrNull(JsonNode node, String field) {
        return node.has(field) ? node.get(field).asText() : null;
    }
}
