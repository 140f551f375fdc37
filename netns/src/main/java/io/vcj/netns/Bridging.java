package io.vcj.netns;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The bridged model: a Linux bridge with the pod interface and the tap as its ports. The guest
 * NIC takes over the pod interface's MAC address, so the pod interface gets a random one (else
 * the bridge would deliver the guest's frames to itself), and the bridge answers no ARP (else it
 * would claim the pod's IP, which stays on the pod interface).
 */
final class Bridging implements Interworking {

    @Override
    public void connect(PodInterface podInterface, Tap tap) {
        String bridge = bridgeOf(tap);
        NetCommand.ip("link", "add", "name", bridge, "type", "bridge");
        NetCommand.ip("link", "set", "dev", bridge, "mtu", Integer.toString(podInterface.mtu()), "arp", "off");
        NetCommand.ip("link", "set", "dev", podInterface.name(), "address", randomLocalMac());
        NetCommand.ip("link", "set", "dev", podInterface.name(), "master", bridge);
        NetCommand.ip("link", "set", "dev", tap.name(), "master", bridge);
        NetCommand.ip("link", "set", "dev", bridge, "up");
    }

    /** Deleting the bridge frees its ports; the pod interface gets its MAC address back. */
    @Override
    public void disconnect(Tap tap) {
        Links.deleteIfPresent(bridgeOf(tap));
        if (tap.veth() != null && tap.macAddress() != null && Links.exists(tap.veth())) {
            NetCommand.ip("link", "set", "dev", tap.veth(), "address", tap.macAddress());
        }
    }

    private static String bridgeOf(Tap tap) {
        return "br" + tap.index() + "_vcj";
    }

    /** Unicast and locally administered, so it clashes with no vendor's address. */
    private static String randomLocalMac() {
        byte[] mac = new byte[6];
        ThreadLocalRandom.current().nextBytes(mac);
        mac[0] = (byte) ((mac[0] & 0xfe) | 0x02);
        return HexFormat.ofDelimiter(":").formatHex(mac);
    }
}
