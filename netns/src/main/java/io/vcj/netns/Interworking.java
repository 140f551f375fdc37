package io.vcj.netns;

import io.vcj.vc.VcException;
import io.vcj.vc.config.NetInterworkingModel;

/** How a pod interface and the tap of the VM's NIC are joined, so frames flow both ways. */
interface Interworking {

    void connect(PodInterface podInterface, Tap tap);

    /** Undoes {@link #connect} as far as it got; idempotent. The tap itself is left to the caller. */
    void disconnect(Tap tap);

    static Interworking of(NetInterworkingModel model) {
        return switch (model) {
            case DEFAULT, TC_FILTER -> new TcMirroring();
            case BRIDGED -> new Bridging();
            case MACVTAP, ENLIGHTENED -> throw new VcException.InvalidArgument(
                    "network interworking model " + model + " is not supported; use TC_FILTER (default) or BRIDGED");
        };
    }
}
