package io.vcj.netns;

import io.vcj.vc.agent.Neighbor;
import io.vcj.vc.agent.NetInterface;
import io.vcj.vc.agent.Route;
import io.vcj.vc.config.NetworkConfig;
import io.vcj.vc.hypervisor.Device;
import io.vcj.vc.network.NetworkPlan;
import io.vcj.vc.network.NetworkSetup;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Connects the interfaces CNI put in a pod's network namespace to the pod's VM, as Kata does:
 * each gets a tap in the same namespace (QEMU must run there too), joined to it by tc mirroring
 * or a bridge, and the guest gets an interface with its name, MAC address, MTU and addresses,
 * plus the namespace's routes and static neighbours. Interfaces a tap already serves are left
 * alone, so a second set up connects only what was added since the first.
 */
public final class PodNetworkSetup implements NetworkSetup {
    private static final Logger LOG = LogManager.getLogger(PodNetworkSetup.class);

    @Override
    public NetworkPlan setUp(String sandboxId, NetworkConfig config) {
        Interworking interworking = Interworking.of(config.interworkingModel());
        if (config.createNamespace()) {
            PersistentNamespace.createIfAbsent(config.netnsPath());
        }
        NetworkPlan plan = NetCommand.in(config.netnsPath(), () -> connectNew(interworking));
        LOG.info("sandbox {}: {} new NIC(s) in {} ({})", sandboxId, plan.devices().size(), config.netnsPath(),
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
        NetCommand.in(config.netnsPath(), () -> {
            Links.taps().forEach(tap -> disconnect(interworking, tap));
            return null;
        });
        if (config.createNamespace()) {
            PersistentNamespace.remove(config.netnsPath());
            LOG.info("sandbox {}: network namespace {} removed", sandboxId, config.netnsPath());
        }
    }

    /** On failure the taps made here are undone; those of an earlier set up stay. */
    private static NetworkPlan connectNew(Interworking interworking) {
        PodNetwork pod = PodNetworkScan.scan();
        List<Tap> existing = Links.taps();
        Set<String> served = existing.stream().map(Tap::veth).collect(Collectors.toSet());
        Set<Integer> taken = existing.stream().map(Tap::index).collect(Collectors.toSet());
        List<Tap> made = new ArrayList<>();
        List<Device.Network> nics = new ArrayList<>();
        List<NetInterface> guestInterfaces = new ArrayList<>();
        try {
            int index = 0;
            for (PodInterface podInterface : pod.interfaces()) {
                if (served.contains(podInterface.name())) {
                    continue;
                }
                while (taken.contains(index)) {
                    index++;
                }
                Tap tap = Tap.serving(index++, podInterface);
                made.add(tap);
                Links.addTap(tap, podInterface.mtu());
                interworking.connect(podInterface, tap);
                nics.add(new Device.Network("net" + tap.index(), tap.name(), podInterface.macAddress(), podInterface.mtu()));
                guestInterfaces.add(podInterface.inGuest());
            }
        } catch (RuntimeException e) {
            undo(interworking, made, e);
            throw e;
        }
        Set<String> connected = guestInterfaces.stream().map(NetInterface::name).collect(Collectors.toSet());
        List<Route> routes = pod.routes().stream().filter(r -> connected.contains(r.device())).toList();
        List<Neighbor> neighbors = pod.neighbors().stream().filter(n -> connected.contains(n.device())).toList();
        return new NetworkPlan(nics, guestInterfaces, routes, neighbors);
    }

    private static void undo(Interworking interworking, List<Tap> taps, RuntimeException failure) {
        for (Tap tap : taps) {
            try {
                disconnect(interworking, tap);
            } catch (RuntimeException e) {
                failure.addSuppressed(e);
            }
        }
    }

    private static void disconnect(Interworking interworking, Tap tap) {
        interworking.disconnect(tap);
        Links.deleteIfPresent(tap.name());
    }
}
