package io.vcj.vc.agent;

import java.util.List;

/**
 * A guest network interface, found by MAC address and configured by the agent.
 *
 * @param name        name to give it in the guest
 * @param addresses   CIDR addresses, e.g. {@code 10.88.0.5/16}
 */
public record NetInterface(String name, String macAddress, int mtu, List<String> addresses) {
    public NetInterface {
        addresses = List.copyOf(addresses);
    }
}
