package io.vcj.netns;

import io.vcj.vc.agent.NetInterface;
import io.vcj.vc.config.NetworkConfig;
import io.vcj.vc.hypervisor.Device;
import io.vcj.vc.network.NetworkPlan;
import io.vcj.vc.network.NetworkSetup;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

/**
 * Connects the interfaces CNI put in a pod's network namespace to the pod's VM, as Kata does:
 * each gets a tap in the same namespace (QEMU must run there too), joined to it by tc mirroring
 * or a bridge, and the guest gets an interface with its name, MAC address, MTU and addresses,
 * plus the namespace's routes and static neighbours.
 */
public final class PodNetworkSetup implements NetworkSetup {
    private static final Logger LOG = LogManager.getLogger(PodNetworkSetup.class);

    @Override
    public NetworkPlan setUp(String sandboxId, NetworkConfig config) {
        Interworking interworking = Interworking.of(config.interworkingModel());
        NetworkPlan plan = NetnsThread.call(config.netnsPath(), () -> {
            try {
                return connectAll(interworking);
            } catch (RuntimeException e) {
                undo(interworking, e);
                throw e;
            }
        });
        LOG.info("sandbox {}: {} NIC(s) in {} ({})", sandboxId, plan.devices().size(), config.netnsPath(),
                config.interworkingModel());
        return plan;
    }

    /** A namespace that is gone took its taps, bridges and filters with it: nothing left to do. */
    @Override
    public void tearDown(String sandboxId, NetworkConfig config) {
        if (!Files.exists(config.netnsPath())) {
            LOG.info("sandbox {}: network namespace {} is gone, nothing to tear down", sandboxId, config.netnsPath());
            return;
        }
        Interworking interworking = Interworking.of(config.interworkingModel());
        NetnsThread.call(config.netnsPath(), () -> {
            disconnectAll(interworking);
            return null;
        });
    }

    private static NetworkPlan connectAll(Interworking interworking) {
        PodNetwork pod = PodNetworkScan.scan();
        List<Device.Network> nics = new ArrayList<>();
        for (int index = 0; index < pod.interfaces().size(); index++) {
            PodInterface podInterface = pod.interfaces().get(index);
            Tap tap = Tap.serving(index, podInterface);
            Links.addTap(tap, podInterface.mtu());
            interworking.connect(podInterface, tap);
            nics.add(new Device.Network("net" + index, tap.name(), podInterface.macAddress(), podInterface.mtu()));
        }
        List<NetInterface> guestInterfaces = pod.interfaces().stream().map(PodInterface::inGuest).toList();
        return new NetworkPlan(nics, guestInterfaces, pod.routes(), pod.neighbors());
    }

    /** The caller registers its own tear down only once set up returned, so a failed set up undoes itself. */
    private static void undo(Interworking interworking, RuntimeException failure) {
        try {
            disconnectAll(interworking);
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    private static void disconnectAll(Interworking interworking) {
        for (Tap tap : Links.taps()) {
            interworking.disconnect(tap);
            Links.deleteIfPresent(tap.name());
        }
    }
}
