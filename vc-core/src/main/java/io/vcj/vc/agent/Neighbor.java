package io.vcj.vc.agent;

/** A static ARP entry in the guest. */
public record Neighbor(String ipAddress, String macAddress, String device) {
}
