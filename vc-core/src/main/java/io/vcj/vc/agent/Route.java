package io.vcj.vc.agent;

/**
 * A guest route.
 *
 * @param destination CIDR, or {@code default}
 * @param gateway     next hop, null for a link route
 * @param device      guest interface name
 */
public record Route(String destination, String gateway, String device, String source, int scope) {
}
