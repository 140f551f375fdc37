package io.vcj.vc;

import io.vcj.vc.agent.NetInterface;
import io.vcj.vc.agent.Route;
import io.vcj.vc.agent.Storage;
import io.vcj.vc.config.NetInterworkingModel;
import io.vcj.vc.config.NetworkConfig;
import io.vcj.vc.config.SandboxConfig;
import io.vcj.vc.config.Volume;
import io.vcj.vc.hypervisor.Device;
import io.vcj.vc.mock.MockHypervisor;
import io.vcj.vc.network.NetworkPlan;
import io.vcj.vc.network.NetworkSetup;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NetworkAndVolumesTest extends FixtureTest {
    Path netns;
    final List<String> networkCalls = new CopyOnWriteArrayList<>();
    final NetworkPlan plan = new NetworkPlan(
            List.of(new Device.Network("net0", "tap0_vcj", "02:00:00:00:00:01", 1500)),
            List.of(new NetInterface("eth0", "02:00:00:00:00:01", 1500, List.of("10.88.0.5/16"))),
            List.of(new Route("default", "10.88.0.1", "eth0", null, 0)),
            List.of());

    @BeforeEach
    void setUp() throws Exception {
        netns = Files.writeString(tmp.resolve("netns"), "");
    }

    private VirtContainers withNetwork() {
        return fx.newInstance(new NetworkSetup() {
            @Override
            public NetworkPlan setUp(String sandboxId, NetworkConfig config) {
                networkCalls.add("setUp " + sandboxId + " " + config.netnsPath().getFileName());
                return plan;
            }

            @Override
            public void tearDown(String sandboxId, NetworkConfig config) {
                networkCalls.add("tearDown " + sandboxId);
            }
        });
    }

    private SandboxConfig.Builder base(String id) {
        return SandboxConfig.builder(id).vm(1, 128).hypervisor("mock", fx.hypervisorConfig()).agent("mock", null);
    }

    private SandboxConfig networked(String id) {
        return base(id).network(new NetworkConfig(netns, NetInterworkingModel.TC_FILTER)).build();
    }

    @Test
    void thePodNetworkReachesTheVmAndTheGuestAndIsTornDownOnStop() {
        VirtContainers vc = withNetwork();
        vc.runSandbox(networked("pod"));
        MockHypervisor hypervisor = fx.lastHypervisor();
        assertTrue(hypervisor.coldPlugged.contains(plan.devices().getFirst()));
        assertTrue(hypervisor.guest().calls.containsAll(List.of("updateInterface", "updateRoutes")));

        vc.stopSandbox("pod");
        vc.deleteSandbox("pod");

        assertEquals("setUp pod netns", networkCalls.getFirst());
        assertTrue(networkCalls.contains("tearDown pod"));
    }

    @Test
    void interfacesAddedToANamespaceVcjMadeAreHotPluggedAtStart() {
        List<NetworkPlan> plans = new CopyOnWriteArrayList<>(List.of(NetworkPlan.EMPTY, plan));
        VirtContainers vc = fx.newInstance(new NetworkSetup() {
            @Override
            public NetworkPlan setUp(String sandboxId, NetworkConfig config) {
                return plans.removeFirst();
            }

            @Override
            public void tearDown(String sandboxId, NetworkConfig config) {
            }
        });
        Path made = tmp.resolve("made-at-create");
        vc.createSandbox(base("pod").network(new NetworkConfig(made, null, true)).build());
        MockHypervisor hypervisor = fx.lastHypervisor();
        assertTrue(hypervisor.coldPlugged.stream().noneMatch(d -> d instanceof Device.Network));
        assertFalse(hypervisor.guest().calls.contains("updateInterface"));

        vc.startSandbox("pod");

        assertEquals(plan.devices(), hypervisor.hotPlugged);
        assertTrue(hypervisor.guest().calls.containsAll(List.of("updateInterface", "updateRoutes")));
    }

    @Test
    void aFailedCreateTearsTheNetworkDownAgain() {
        fx.faults.failOn("startVM");
        VirtContainers vc = withNetwork();
        assertThrows(VcException.Unavailable.class, () -> vc.createSandbox(networked("pod")));
        assertEquals(List.of("setUp pod netns", "tearDown pod"), networkCalls);
    }

    @Test
    void volumesAreSharedAndMountedInTheGuestByTag() throws Exception {
        Path data = Files.createDirectories(tmp.resolve("data"));
        var config = base("pod").volume(new Volume("data", data)).build();

        fx.vc.createSandbox(config);

        MockHypervisor hypervisor = fx.lastHypervisor();
        assertTrue(hypervisor.coldPlugged.stream().anyMatch(d -> d instanceof Device.SharedDirectory s
                && s.tag().equals("data") && s.hostPath().equals(data)));
        Storage storage = hypervisor.guest().sandboxes.getFirst().storages().get(1);
        assertEquals(List.of("9p", "data", "/run/vcj/volumes/data"),
                List.of(storage.driver(), storage.source(), storage.mountPoint()));
    }

    @Test
    void aMissingNetworkNamespaceIsNamedBeforeAnyVmStarts() {
        Path missing = tmp.resolve("no-netns");
        var config = base("pod").network(new NetworkConfig(missing, null)).build();
        var e = assertThrows(VcException.InvalidArgument.class, () -> fx.vc.createSandbox(config));
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
        assertTrue(fx.hypervisors.isEmpty());
    }
}
