package io.vcj.kata.guest.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vcj.kata.guest.sys.Command;
import io.vcj.kata.proto.types.ARPNeighbor;
import io.vcj.kata.proto.types.IPAddress;
import io.vcj.kata.proto.types.Interface;
import io.vcj.kata.proto.types.Route;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The guest's busybox ip/arp, run in a private network namespace. */
class GuestNetworkTest {
    private static final String MAC = "02:00:00:00:00:42";
    private final String netns = "vcj-guest-test-" + ProcessHandle.current().pid();
    private GuestNetwork network;
    private final List<String> loadedModules = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() throws IOException {
        Command.run(List.of("ip", "netns", "add", netns), null);
        // A veth pair, as a CNI plugin would make (and the kernel may lack the dummy driver).
        Command.run(List.of("ip", "-n", netns, "link", "add", "nic7", "address", MAC, "type", "veth", "peer", "name", "peer7"), null);
        Command.run(List.of("ip", "-n", netns, "link", "set", "peer7", "up"), null);
        network = new GuestNetwork(List.of("ip", "netns", "exec", netns, "busybox"), Duration.ofSeconds(5),
                modules -> loadedModules.addAll(List.of(modules)));
    }

    @AfterEach
    void tearDown() throws IOException {
        Command.run(List.of("ip", "netns", "delete", netns), null);
    }

    private String inNetns(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("ip", "-n", netns));
        cmd.addAll(List.of(args));
        return Command.run(cmd, null);
    }

    @Test
    void configuresTheInterfaceFoundByMacThenRoutesAndNeighbors() throws IOException {
        Interface configured = network.updateInterface(Interface.newBuilder()
                .setHwAddr(MAC.toUpperCase()).setName("eth0").setMtu(1400)
                .addIPAddresses(IPAddress.newBuilder().setAddress("10.88.0.5").setMask("16"))
                .build());
        assertEquals("eth0", configured.getName());
        assertEquals(List.of(), loadedModules, "a NIC that is there needs no driver loaded");
        String link = inNetns("-o", "link", "show", "eth0");
        assertTrue(link.contains("mtu 1400") && link.contains(",UP"), link);
        assertTrue(inNetns("-o", "addr", "show", "eth0").contains("10.88.0.5/16"));

        network.updateRoutes(List.of(
                Route.newBuilder().setGateway("10.88.0.1").setDevice("eth0").build(),
                Route.newBuilder().setDest("10.99.0.0/24").setDevice("eth0").setScope(253).build()));
        String routes = inNetns("route", "show");
        assertTrue(routes.contains("default via 10.88.0.1 dev eth0"), routes);
        assertTrue(routes.contains("10.99.0.0/24 dev eth0"), routes);

        network.addNeighbors(List.of(ARPNeighbor.newBuilder().setDevice("eth0")
                .setToIPAddress(IPAddress.newBuilder().setAddress("10.88.0.9")).setLladdr("02:00:00:00:00:09").build()));
        String neighbors = inNetns("neigh", "show", "dev", "eth0");
        assertTrue(neighbors.contains("10.88.0.9 lladdr 02:00:00:00:00:09 PERMANENT"), neighbors);
    }

    @Test
    void aNicThatAppearsLaterIsWaitedForAsAHotPluggedOneWouldBe() throws Exception {
        String lateMac = "02:00:00:00:00:43";
        Thread plug = Thread.ofPlatform().start(() -> {
            try {
                Thread.sleep(300);
                inNetns("link", "add", "nic8", "address", lateMac, "type", "veth", "peer", "name", "peer8");
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });

        Interface configured = network.updateInterface(Interface.newBuilder().setHwAddr(lateMac).setName("eth1").build());
        plug.join();

        assertEquals(List.of("virtio_net"), loadedModules, "the NIC driver is loaded for a NIC that is missing at first");
        assertEquals("eth1", configured.getName());
        assertTrue(inNetns("link", "show", "eth1").contains(lateMac), inNetns("link"));
    }

    @Test
    void unknownMacIsRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> network.updateInterface(Interface.newBuilder().setHwAddr("02:00:00:00:00:99").build()));
    }
}
