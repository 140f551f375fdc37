package io.vcj.netns;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/** The links of the current thread's network namespace that vcj adds and removes. */
final class Links {
    private Links() {
    }

    /** A persistent tap QEMU opens by name, up, with the MTU of the interface it serves. */
    static void addTap(Tap tap, int mtu) {
        NetCommand.ip("tuntap", "add", "dev", tap.name(), "mode", "tap");
        NetCommand.ip("link", "set", "dev", tap.name(), "mtu", Integer.toString(mtu), "alias", tap.alias(), "up");
    }

    /** vcj's taps in this namespace, found by name. */
    static List<Tap> taps() {
        List<Tap> taps = new ArrayList<>();
        for (JsonNode link : NetCommand.ipJson("link", "show", "type", "tun")) {
            Tap tap = Tap.fromLink(link.path("ifname").asText(), link.has("ifalias") ? link.get("ifalias").asText() : null);
            if (tap != null) {
                taps.add(tap);
            }
        }
        return taps;
    }

    static boolean exists(String name) {
        for (JsonNode link : NetCommand.ipJson("link", "show")) {
            if (name.equals(link.path("ifname").asText())) {
                return true;
            }
        }
        return false;
    }

    static void deleteIfPresent(String name) {
        if (exists(name)) {
            NetCommand.ip("link", "del", "dev", name);
        }
    }
}
