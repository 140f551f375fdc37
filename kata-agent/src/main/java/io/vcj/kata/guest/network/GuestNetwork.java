package io.vcj.kata.guest.network;

import io.vcj.kata.guest.sys.Command;
import io.vcj.kata.guest.sys.KernelModules;
import io.vcj.kata.proto.types.ARPNeighbor;
import io.vcj.kata.proto.types.IPAddress;
import io.vcj.kata.proto.types.Interface;
import io.vcj.kata.proto.types.Route;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Configures the VM's network as the host planned it (the pod's interfaces, routes and static
 * neighbours), with the guest's busybox {@code ip} and {@code arp}. All containers share this
 * network: the agent gives them no network namespace of their own.
 */
public final class GuestNetwork {
    private static final Logger LOG = LogManager.getLogger(GuestNetwork.class);

    /** A hot-plugged NIC appears once the guest kernel has probed it; under TCG that can take seconds. */
    private static final Duration NIC_PATIENCE = Duration.ofSeconds(30);
    private static final Duration NIC_POLL = Duration.ofMillis(50);


    private final List<String> prefix;
    private final Duration nicPatience;
    private final KernelModules modules;

    /** For the guest: the commands run as they are. */
    public static GuestNetwork guest() {
        return new GuestNetwork(List.of(), NIC_PATIENCE, KernelModules.modprobe());
    }

    /**
     * @param prefix        put before each command, e.g. to run it in another network namespace in tests
     * @param nicPatience   how long to wait for a NIC that is not there (yet)
     * @param modules       loads the NIC driver when a NIC is not there at first
     */
    GuestNetwork(List<String> prefix, Duration nicPatience, KernelModules modules) {
        this.prefix = prefix;
        this.nicPatience = nicPatience;
        this.modules = modules;
    }

    /**
     * Finds the link by its MAC address (waiting for a hot-plugged one to appear), names it, sets its MTU, replaces its addresses with the
     * given ones and brings it up.
     */
    public Interface updateInterface(Interface wanted) throws IOException {
        String current = linkWithMac(wanted.getHwAddr());
        String name = wanted.getName().isEmpty() ? current : wanted.getName();
        ip("link", "set", "dev", current, "down");
        if (!name.equals(current)) {
            ip("link", "set", "dev", current, "name", name);
        }
        if (wanted.getMtu() > 0) {
            ip("link", "set", "dev", name, "mtu", Long.toString(wanted.getMtu()));
        }
        ip("addr", "flush", "dev", name);
        for (IPAddress address : wanted.getIPAddressesList()) {
            ip("addr", "add", address.getAddress() + "/" + address.getMask(), "dev", name);
        }
        ip("link", "set", "dev", name, "up");
        LOG.info("interface {} ({}) configured", name, wanted.getHwAddr());
        return wanted.toBuilder().setName(name).build();
    }

    /** Adds or replaces each route; routes to a link come first, as gateways must be reachable. */
    public List<Route> updateRoutes(List<Route> routes) throws IOException {
        List<Route> ordered = routes.stream().sorted(Comparator.comparing(r -> !r.getGateway().isEmpty())).toList();
        for (Route route : ordered) {
            List<String> args = new ArrayList<>(List.of("route", "replace",
                    route.getDest().isEmpty() ? "default" : route.getDest()));
            if (!route.getGateway().isEmpty()) {
                args.addAll(List.of("via", route.getGateway()));
            }
            if (!route.getDevice().isEmpty()) {
                args.addAll(List.of("dev", route.getDevice()));
            }
            if (!route.getSource().isEmpty()) {
                args.addAll(List.of("src", route.getSource()));
            }
            if (route.getScope() != 0) {
                args.addAll(List.of("scope", Integer.toString(route.getScope())));
            }
            ip(args.toArray(String[]::new));
        }
        return routes;
    }

    /** Static ARP entries; busybox's {@code ip neigh} cannot add, its {@code arp} can. */
    public void addNeighbors(List<ARPNeighbor> neighbors) throws IOException {
        for (ARPNeighbor neighbor : neighbors) {
            run("arp", "-i", neighbor.getDevice(), "-s", neighbor.getToIPAddress().getAddress(), neighbor.getLladdr());
        }
    }

    private String linkWithMac(String mac) throws IOException {
        long deadline = System.nanoTime() + nicPatience.toNanos();
        Optional<String> link = findLinkWithMac(mac);
        if (link.isEmpty()) {
            // init loads virtio_net only for NICs present at boot, and no hotplug helper runs in the guest.
            modules.load("virtio_net");
        }
        while (link.isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(NIC_POLL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for the NIC with MAC address " + mac, e);
            }
            link = findLinkWithMac(mac);
        }
        return link.orElseThrow(() -> new IllegalArgumentException(
                "no network interface with MAC address " + mac + " (waited " + nicPatience.toMillis() + " ms)"));
    }

    /** From {@code ip -o link}: "2: eth0: <...> mtu 1500 ...\    link/ether 52:54:00:12:34:56 brd ...". */
    private Optional<String> findLinkWithMac(String mac) throws IOException {
        String wanted = mac.toLowerCase(Locale.ROOT);
        for (String line : ip("-o", "link").split("\n")) {
            String[] words = line.replace('\\', ' ').trim().split("\\s+");
            for (int i = 0; i + 1 < words.length; i++) {
                if (words[i].startsWith("link/") && words[i + 1].toLowerCase(Locale.ROOT).equals(wanted)) {
                    String name = words[1].substring(0, words[1].length() - 1);
                    int at = name.indexOf('@');
                    return Optional.of(at < 0 ? name : name.substring(0, at));
                }
            }
        }
        return Optional.empty();
    }

    private String ip(String... args) throws IOException {
        List<String> argv = new ArrayList<>(List.of("ip"));
        argv.addAll(List.of(args));
        return run(argv.toArray(String[]::new));
    }

    private String run(String... argv) throws IOException {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.addAll(List.of(argv));
        return Command.run(cmd, null);
    }
}
