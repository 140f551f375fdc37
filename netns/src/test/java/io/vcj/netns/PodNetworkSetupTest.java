package io.vcj.netns;

import com.fasterxml.jackson.databind.JsonNode;
import io.vcj.vc.VcException;
import io.vcj.vc.agent.Neighbor;
import io.vcj.vc.agent.NetInterface;
import io.vcj.vc.agent.Route;
import io.vcj.vc.config.NetInterworkingModel;
import io.vcj.vc.config.NetworkConfig;
import io.vcj.vc.hypervisor.Device;
import io.vcj.vc.network.NetworkPlan;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.vcj.netns.PodNamespaces.MTU;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class PodNetworkSetupTest {
    private PodNamespaces namespaces;
    private String podMac;

    @BeforeEach
    void createPodNamespaces() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "creates network namespaces: needs root");
        namespaces = PodNamespaces.create();
        podMac = namespaces.podLink("eth0").path("address").asText();
    }

    @AfterEach
    void deleteNamespaces() {
        if (namespaces != null) {
            namespaces.close();
        }
    }

    @Test
    void theGuestGetsThePodInterfaceItsRoutesAndStaticNeighbours() {
        NetworkPlan plan = new PodNetworkSetup().setUp("sb", namespaces.config(NetInterworkingModel.DEFAULT));

        assertEquals(List.of(new Device.Network("net0", "tap0_vcj", podMac, MTU)), plan.devices());
        assertEquals(List.of(new NetInterface("eth0", podMac, MTU, List.of(PodNamespaces.POD_IP + "/24"))), plan.interfaces());
        assertEquals(List.of(new Route("default", PodNamespaces.HOST_IP, "eth0", null, 0)), plan.routes(),
                "the subnet route comes with the address in the guest, only the default route is passed");
        assertEquals(List.of(new Neighbor(PodNamespaces.NEIGHBOR_IP, PodNamespaces.NEIGHBOR_MAC, "eth0")), plan.neighbors());
    }

    @Test
    void tcMirroringRedirectsEveryFrameBetweenThePodInterfaceAndTheTap() {
        new PodNetworkSetup().setUp("sb", namespaces.config(NetInterworkingModel.TC_FILTER));

        JsonNode tap = namespaces.podLink("tap0_vcj");
        assertNotNull(tap, "tap created in the pod namespace");
        assertEquals("tap", tap.path("linkinfo").path("info_data").path("type").asText());
        assertEquals(MTU, tap.path("mtu").asInt());
        assertTrue(flags(tap).contains("UP"));
        assertEquals(List.of("tap0_vcj"), redirectTargets("eth0"));
        assertEquals(List.of("eth0"), redirectTargets("tap0_vcj"));
        assertEquals(podMac, namespaces.podLink("eth0").path("address").asText(), "the pod interface keeps its MAC");
    }

    @Test
    void tearDownRemovesTapsQdiscsAndFiltersAndASecondTearDownDoesNothing() {
        NetworkConfig config = namespaces.config(NetInterworkingModel.TC_FILTER);
        new PodNetworkSetup().setUp("sb", config);

        // a fresh instance, as in a shim that restarted: everything it needs is in the namespace
        new PodNetworkSetup().tearDown("sb", config);

        assertNull(namespaces.podLink("tap0_vcj"));
        assertEquals(List.of(), qdiscKinds("eth0").stream().filter("ingress"::equals).toList());
        assertEquals(List.of(), redirectTargets("eth0"));
        assertEquals(List.of(PodNamespaces.POD_IP), addresses("eth0"), "the pod interface is as CNI left it");

        new PodNetworkSetup().tearDown("sb", config);
        assertNull(namespaces.podLink("tap0_vcj"));
        assertEquals("tap0_vcj", new PodNetworkSetup().setUp("sb", config).devices().getFirst().tapName(),
                "a pod torn down can be set up again");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = NetInterworkingModel.class, names = {"TC_FILTER", "BRIDGED"})
    void anotherProcessTearsDownWhatThisOneSetUp(NetInterworkingModel model) throws Exception {
        new PodNetworkSetup().setUp("sb", namespaces.config(model));

        Process process = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                TearDownInAnotherProcess.class.getName(), namespaces.podPath().toString(), model.name())
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());

        assertEquals(0, process.waitFor(), output);
        assertNull(namespaces.podLink("tap0_vcj"));
        assertNull(namespaces.podLink("br0_vcj"));
        assertEquals(List.of(), redirectTargets("eth0"));
        assertEquals(podMac, namespaces.podLink("eth0").path("address").asText());
    }

    @Test
    void eachPodInterfaceGetsItsOwnTapAndAllGoAtTearDown() {
        NetCommand.ip("link", "add", "net1", "netns", namespaces.pod, "type", "veth", "peer", "name", "veth-net1",
                "netns", namespaces.host);
        namespaces.inPod("addr", "add", "10.251.0.2/24", "dev", "net1");
        namespaces.inPod("link", "set", "dev", "net1", "up");
        NetworkConfig config = namespaces.config(NetInterworkingModel.TC_FILTER);

        NetworkPlan plan = new PodNetworkSetup().setUp("sb", config);

        assertEquals(List.of("tap0_vcj", "tap1_vcj"), plan.devices().stream().map(Device.Network::tapName).toList());
        assertEquals(List.of("eth0", "net1"), plan.interfaces().stream().map(NetInterface::name).toList());
        assertEquals(List.of("tap1_vcj"), redirectTargets("net1"));
        new PodNetworkSetup().tearDown("sb", config);
        assertNull(namespaces.podLink("tap0_vcj"));
        assertNull(namespaces.podLink("tap1_vcj"));
        assertEquals(List.of(), redirectTargets("net1"));
    }

    @Test
    void aSecondSetUpConnectsOnlyTheInterfacesAddedSinceTheFirst() {
        NetworkConfig config = namespaces.config(NetInterworkingModel.TC_FILTER);
        new PodNetworkSetup().setUp("sb", config);
        NetCommand.ip("link", "add", "net1", "netns", namespaces.pod, "type", "veth", "peer", "name", "veth-net1",
                "netns", namespaces.host);
        namespaces.inPod("addr", "add", "10.251.0.2/24", "dev", "net1");
        namespaces.inPod("link", "set", "dev", "net1", "up");
        namespaces.inPod("route", "add", "10.252.0.0/16", "via", "10.251.0.1");

        NetworkPlan added = new PodNetworkSetup().setUp("sb", config);

        assertEquals(List.of("tap1_vcj"), added.devices().stream().map(Device.Network::tapName).toList());
        assertEquals(List.of("net1"), added.interfaces().stream().map(NetInterface::name).toList());
        assertEquals(List.of(new Route("10.252.0.0/16", "10.251.0.1", "net1", null, 0)), added.routes());
        assertEquals(List.of("tap0_vcj"), redirectTargets("eth0"), "the first interface stays connected");
        assertEquals(NetworkPlan.EMPTY, new PodNetworkSetup().setUp("sb", config));
    }

    @Test
    void aNamespaceVcjMakesIsEmptyAtFirstAndGoneAfterTearDown(@TempDir Path dir) throws Exception {
        Path made = dir.resolve("state/pod/netns");
        NetworkConfig config = new NetworkConfig(made, null, true);

        assertEquals(NetworkPlan.EMPTY, new PodNetworkSetup().setUp("sb", config));
        assertTrue(PersistentNamespace.isMounted(made));
        NetCommand.ip("link", "add", "eth0", "netns", made.toString(), "type", "veth", "peer", "name", "veth-made");
        assertEquals(List.of("eth0"), new PodNetworkSetup().setUp("sb", config).interfaces().stream()
                .map(NetInterface::name).toList(), "a second set up finds what was added to the same namespace");

        new PodNetworkSetup().tearDown("sb", config);

        assertFalse(PersistentNamespace.isMounted(made));
        assertFalse(Files.exists(made));
        assertTrue(linkGoneWithin("veth-made", Duration.ofSeconds(30)),
                "the namespace went, and with it the veth and (the kernel cleans up in the background) its peer");
        new PodNetworkSetup().tearDown("sb", config);
    }

    @Test
    void aNamespaceWithoutInterfacesGivesTheVmNoNic() {
        String bare = namespaces.pod + "-bare";
        NetCommand.ip("netns", "add", bare);
        try {
            NetworkPlan plan = new PodNetworkSetup().setUp("sb", new NetworkConfig(Path.of("/var/run/netns", bare), null));

            assertEquals(NetworkPlan.EMPTY, plan);
        } finally {
            NetCommand.ip("netns", "del", bare);
        }
    }

    @Test
    void bridgingPutsThePodInterfaceAndTheTapOnABridgeAndTearDownRestoresTheMac() {
        NetworkConfig config = namespaces.config(NetInterworkingModel.BRIDGED);
        NetworkPlan plan = new PodNetworkSetup().setUp("sb", config);

        assertEquals(podMac, plan.devices().getFirst().macAddress(), "the guest NIC takes the pod interface's MAC");
        JsonNode bridge = namespaces.podLink("br0_vcj");
        assertNotNull(bridge, "bridge created");
        assertTrue(flags(bridge).contains("NOARP"), "the bridge must not answer ARP for the pod IP");
        assertEquals("br0_vcj", namespaces.podLink("eth0").path("master").asText());
        assertEquals("br0_vcj", namespaces.podLink("tap0_vcj").path("master").asText());
        assertNotEquals(podMac, namespaces.podLink("eth0").path("address").asText());

        new PodNetworkSetup().tearDown("sb", config);

        assertNull(namespaces.podLink("br0_vcj"));
        assertNull(namespaces.podLink("tap0_vcj"));
        assertEquals(podMac, namespaces.podLink("eth0").path("address").asText());
        new PodNetworkSetup().tearDown("sb", config);
    }

    @Test
    void aSetUpThatFailsUndoesWhatItDidAndLeavesOthersQdiscsAlone() {
        namespaces.podTc("qdisc", "add", "dev", "eth0", "ingress");

        NetnsException failure = assertThrows(NetnsException.class,
                () -> new PodNetworkSetup().setUp("sb", namespaces.config(NetInterworkingModel.TC_FILTER)));

        assertTrue(failure.getMessage().contains("tc qdisc add dev eth0 ingress"), failure.getMessage());
        assertNull(namespaces.podLink("tap0_vcj"));
        assertTrue(qdiscKinds("eth0").contains("ingress"), "the qdisc that was there before stays");
    }

    @Test
    void aMissingNamespaceIsRefusedByPath() {
        NetworkConfig config = new NetworkConfig(Path.of("/var/run/netns/vcjt-no-such-pod"), NetInterworkingModel.DEFAULT);

        var e = assertThrows(VcException.InvalidArgument.class, () -> new PodNetworkSetup().setUp("sb", config));

        assertEquals("network namespace /var/run/netns/vcjt-no-such-pod: No such file or directory", e.getMessage());
    }

    @Test
    void aFileThatIsNoNamespaceIsRefused(@TempDir Path dir) throws Exception {
        Path notANamespace = Files.writeString(dir.resolve("netns"), "");
        NetworkConfig config = new NetworkConfig(notANamespace, NetInterworkingModel.DEFAULT);

        var e = assertThrows(VcException.InvalidArgument.class, () -> new PodNetworkSetup().setUp("sb", config));

        assertEquals(notANamespace + " is not a network namespace", e.getMessage());
    }

    @Test
    void tearingDownANamespaceThatIsGoneIsANoOp() {
        NetworkConfig config = namespaces.config(NetInterworkingModel.DEFAULT);
        new PodNetworkSetup().setUp("sb", config);
        namespaces.close();

        new PodNetworkSetup().tearDown("sb", config);
        assertFalse(Files.exists(config.netnsPath()));
    }

    @Test
    void unsupportedModelsAreRefusedBeforeTouchingTheNamespace() {
        var e = assertThrows(VcException.InvalidArgument.class,
                () -> new PodNetworkSetup().setUp("sb", namespaces.config(NetInterworkingModel.MACVTAP)));

        assertTrue(e.getMessage().contains("MACVTAP"), e.getMessage());
        assertNull(namespaces.podLink("tap0_vcj"));
    }

    private List<String> redirectTargets(String device) {
        List<String> targets = new ArrayList<>();
        for (JsonNode filter : namespaces.podTc("filter", "show", "dev", device, "ingress")) {
            for (JsonNode action : filter.path("options").path("actions")) {
                assertEquals("redirect", action.path("mirred_action").asText());
                assertEquals("egress", action.path("direction").asText());
                targets.add(action.path("to_dev").asText());
            }
        }
        return targets;
    }

    private static boolean linkGoneWithin(String name, Duration patience) throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (NetCommand.ipJson("link", "show").findValuesAsText("ifname").contains(name)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(50);
        }
        return true;
    }

    private List<String> qdiscKinds(String device) {
        List<String> kinds = new ArrayList<>();
        namespaces.podTc("qdisc", "show", "dev", device).forEach(q -> kinds.add(q.path("kind").asText()));
        return kinds;
    }

    private List<String> addresses(String device) {
        List<String> addresses = new ArrayList<>();
        namespaces.podIp("-4", "addr", "show", "dev", device).get(0).path("addr_info")
                .forEach(a -> addresses.add(a.path("local").asText()));
        return addresses;
    }

    private static List<String> flags(JsonNode link) {
        List<String> flags = new ArrayList<>();
        link.path("flags").forEach(f -> flags.add(f.asText()));
        return flags;
    }
}
