package io.vcj.netns;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Kata's default: an ingress qdisc on both the pod interface and the tap, each with a u32 filter
 * matching every frame and redirecting it out of the other. The pod interface keeps its address,
 * but the namespace never sees a frame arrive on it, so the guest owns the pod's IP.
 */
final class TcMirroring implements Interworking {
    private static final String INGRESS = "ffff:";

    @Override
    public void connect(PodInterface podInterface, Tap tap) {
        redirectIngress(podInterface.name(), tap.name());
        redirectIngress(tap.name(), podInterface.name());
    }

    /**
     * The tap's qdisc and filter go with the tap; the pod interface's are removed when they
     * redirect to the tap, so a qdisc someone else put there is left alone.
     */
    @Override
    public void disconnect(Tap tap) {
        if (tap.veth() != null && Links.exists(tap.veth()) && redirectsTo(tap.veth(), tap.name())) {
            NetCommand.tc("qdisc", "del", "dev", tap.veth(), "ingress");
        }
    }

    private static void redirectIngress(String from, String to) {
        NetCommand.tc("qdisc", "add", "dev", from, "ingress");
        NetCommand.tc("filter", "add", "dev", from, "parent", INGRESS, "protocol", "all",
                "u32", "match", "u8", "0", "0", "action", "mirred", "egress", "redirect", "dev", to);
    }

    private static boolean redirectsTo(String device, String target) {
        for (JsonNode filter : NetCommand.tcJson("filter", "show", "dev", device, "ingress")) {
            for (JsonNode action : filter.path("options").path("actions")) {
                if ("mirred".equals(action.path("kind").asText()) && target.equals(action.path("to_dev").asText())) {
                    return true;
                }
            }
        }
        return false;
    }
}
