package io.vcj.netns;

import io.vcj.vc.agent.NetInterface;

import java.util.List;

/**
 * An interface CNI put in the pod's network namespace (a veth, macvlan or ipvlan). The guest gets
 * an interface like it: same name, MAC address, MTU and addresses.
 *
 * @param addresses CIDR addresses, link-local ones left out (the guest makes its own)
 */
record PodInterface(String name, String macAddress, int mtu, List<String> addresses) {
    PodInterface {
        addresses = List.copyOf(addresses);
    }

    NetInterface inGuest() {
        return new NetInterface(name, macAddress, mtu, addresses);
    }
}
