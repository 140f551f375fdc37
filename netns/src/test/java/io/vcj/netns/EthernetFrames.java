package io.vcj.netns;

import java.net.Inet4Address;
import java.nio.ByteBuffer;
import java.util.HexFormat;

/** Builds and reads the IPv4/UDP Ethernet frames a guest would send and receive. */
final class EthernetFrames {
    private static final int ETHERTYPE_IPV4 = 0x0800;
    private static final int PROTOCOL_UDP = 17;
    private static final int ETHERNET_HEADER = 14;
    private static final int IPV4_HEADER = 20;
    private static final int UDP_HEADER = 8;

    private EthernetFrames() {
    }

    /** A UDP datagram in an IPv4 packet in an Ethernet frame; UDP checksum 0 means none, allowed over IPv4. */
    static byte[] udp(String sourceMac, String destinationMac, Inet4Address source, int sourcePort,
                      Inet4Address destination, int destinationPort, byte[] payload) {
        int ipLength = IPV4_HEADER + UDP_HEADER + payload.length;
        ByteBuffer frame = ByteBuffer.allocate(ETHERNET_HEADER + ipLength);
        frame.put(mac(destinationMac)).put(mac(sourceMac)).putShort((short) ETHERTYPE_IPV4);
        int ipStart = frame.position();
        frame.put((byte) 0x45).put((byte) 0).putShort((short) ipLength)
                .putShort((short) 0).putShort((short) 0x4000)
                .put((byte) 64).put((byte) PROTOCOL_UDP).putShort((short) 0)
                .put(source.getAddress()).put(destination.getAddress());
        frame.putShort(ipStart + 10, ipv4Checksum(frame.array(), ipStart));
        frame.putShort((short) sourcePort).putShort((short) destinationPort)
                .putShort((short) (UDP_HEADER + payload.length)).putShort((short) 0)
                .put(payload);
        return frame.array();
    }

    /** The payload if {@code frame} carries a UDP datagram to {@code port}, else null. */
    static byte[] udpPayloadTo(byte[] frame, int port) {
        ByteBuffer in = ByteBuffer.wrap(frame);
        if (frame.length < ETHERNET_HEADER + IPV4_HEADER + UDP_HEADER || (in.getShort(12) & 0xffff) != ETHERTYPE_IPV4
                || in.get(ETHERNET_HEADER + 9) != PROTOCOL_UDP) {
            return null;
        }
        int udpStart = ETHERNET_HEADER + (in.get(ETHERNET_HEADER) & 0x0f) * 4;
        if ((in.getShort(udpStart + 2) & 0xffff) != port) {
            return null;
        }
        int length = (in.getShort(udpStart + 4) & 0xffff) - UDP_HEADER;
        byte[] payload = new byte[length];
        in.get(udpStart + UDP_HEADER, payload);
        return payload;
    }

    private static byte[] mac(String mac) {
        return HexFormat.ofDelimiter(":").parseHex(mac);
    }

    private static short ipv4Checksum(byte[] packet, int start) {
        int sum = 0;
        for (int i = start; i < start + IPV4_HEADER; i += 2) {
            sum += ((packet[i] & 0xff) << 8) | (packet[i + 1] & 0xff);
        }
        while ((sum >> 16) != 0) {
            sum = (sum & 0xffff) + (sum >> 16);
        }
        return (short) ~sum;
    }
}
