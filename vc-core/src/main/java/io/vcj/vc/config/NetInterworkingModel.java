package io.vcj.vc.config;

/** How the pod's network interfaces are connected to the VM's NICs. */
public enum NetInterworkingModel {
    /** Let the network setup choose. */
    DEFAULT,
    /** A Linux bridge between the veth and a tap. */
    BRIDGED,
    /** A macvtap on the veth. */
    MACVTAP,
    /** tc mirred redirects between the veth and a tap. */
    TC_FILTER,
    /** The network plugin already created VM-ready interfaces. */
    ENLIGHTENED
}
