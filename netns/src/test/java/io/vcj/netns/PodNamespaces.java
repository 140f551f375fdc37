package io.vcj.netns;

import com.fasterxml.jackson.databind.JsonNode;
import io.vcj.vc.config.NetInterworkingModel;
import io.vcj.vc.config.NetworkConfig;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * What CNI's bridge plugin leaves for a pod, built by hand: a pod namespace holding {@code eth0}
 * (10.250.7.2/24, MTU 1400, default route via 10.250.7.1, one static neighbour), the other end of
 * its veth in a second namespace standing for the host bridge (10.250.7.1/24). Closing deletes
 * both namespaces and everything in them.
 */
final class PodNamespaces implements AutoCloseable {
    static final String POD_IP = "10.250.7.2";
    static final String HOST_IP = "10.250.7.1";
    static final String NEIGHBOR_IP = "10.250.7.7";
    static final String NEIGHBOR_MAC = "02:00:00:00:00:07";
    static final String HOST_VETH = "veth-host";
    static final int MTU = 1400;

    final String pod;
    final String host;

    private PodNamespaces(String pod, String host) {
        this.pod = pod;
        this.host = host;
    }

    static PodNamespaces create() {
        String id = UUID.randomUUID().toString().substring(0, 8);
        PodNamespaces namespaces = new PodNamespaces("vcjt-pod-" + id, "vcjt-host-" + id);
        try {
            namespaces.build(id);
        } catch (RuntimeException e) {
            namespaces.close();
            throw e;
        }
        return namespaces;
    }

    private void build(String id) {
        NetCommand.ip("netns", "add", pod);
        NetCommand.ip("netns", "add", host);
        String podEnd = "vp-" + id;
        NetCommand.ip("link", "add", podEnd, "mtu", Integer.toString(MTU), "netns", pod,
                "type", "veth", "peer", "name", HOST_VETH, "mtu", Integer.toString(MTU), "netns", host);
        inPod("link", "set", "dev", podEnd, "name", "eth0");
        inPod("addr", "add", POD_IP + "/24", "dev", "eth0");
        inPod("link", "set", "dev", "eth0", "up");
        inPod("route", "add", "default", "via", HOST_IP);
        inPod("neigh", "add", NEIGHBOR_IP, "lladdr", NEIGHBOR_MAC, "dev", "eth0", "nud", "permanent");
        inHost("addr", "add", HOST_IP + "/24", "dev", HOST_VETH);
        inHost("link", "set", "dev", HOST_VETH, "up");
    }

    NetworkConfig config(NetInterworkingModel model) {
        return new NetworkConfig(podPath(), model);
    }

    Path podPath() {
        return Path.of("/var/run/netns", pod);
    }

    Path hostPath() {
        return Path.of("/var/run/netns", host);
    }

    void inPod(String... args) {
        NetCommand.ip(prefixed(pod, args));
    }

    void inHost(String... args) {
        NetCommand.ip(prefixed(host, args));
    }

    JsonNode podIp(String... args) {
        return NetCommand.ipJson(prefixed(pod, args));
    }

    JsonNode podTc(String... args) {
        return NetCommand.tcJson(prefixed(pod, args));
    }

    /** The link's {@code ip -j -d link show} entry in the pod namespace, null if there is no such link. */
    JsonNode podLink(String name) {
        for (JsonNode link : podIp("-d", "link", "show")) {
            if (name.equals(link.path("ifname").asText())) {
                return link;
            }
        }
        return null;
    }

    String hostMac() {
        return NetCommand.ipJson("-n", host, "link", "show", "dev", HOST_VETH).get(0).path("address").asText();
    }

    private static String[] prefixed(String netns, String... args) {
        List<String> all = new ArrayList<>(List.of("-n", netns));
        all.addAll(List.of(args));
        return all.toArray(String[]::new);
    }

    @Override
    public void close() {
        for (String netns : List.of(pod, host)) {
            try {
                NetCommand.ip("netns", "del", netns);
            } catch (NetnsException e) {
                // never created: nothing to delete
            }
        }
    }
}
