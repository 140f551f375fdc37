package io.vcj.kata.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vcj.kata.proto.CreateContainerRequest;
import io.vcj.kata.proto.CreateSandboxRequest;
import io.vcj.kata.proto.types.IPFamily;
import io.vcj.vc.agent.GuestDevice;
import io.vcj.vc.agent.Neighbor;
import io.vcj.vc.agent.NetInterface;
import io.vcj.vc.agent.Route;
import io.vcj.vc.agent.Storage;
import io.vcj.vc.config.ContainerResources;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class KataRequestsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Storage SHARED = new Storage("9p", "vcjshared", "9p",
            List.of("trans=virtio", "version=9p2000.L"), "/run/vcj/shared");

    @Test
    void sandboxCarriesHostnameDnsAndTheSharedDirectory() {
        CreateSandboxRequest request = KataRequests.createSandbox(new io.vcj.vc.agent.CreateSandboxRequest(
                "pod", "podhost", List.of("nameserver 10.0.0.1"), List.of(SHARED), false));

        assertEquals("pod", request.getSandboxId());
        assertEquals("podhost", request.getHostname());
        assertEquals(List.of("nameserver 10.0.0.1"), request.getDnsList());
        var storage = request.getStorages(0);
        assertEquals("9p", storage.getDriver());
        assertEquals("vcjshared", storage.getSource());
        assertEquals("9p", storage.getFstype());
        assertEquals(List.of("trans=virtio", "version=9p2000.L"), storage.getOptionsList());
        assertEquals("/run/vcj/shared", storage.getMountPoint());
    }

    @Test
    void containerSpecIsRootedAtTheGuestRootfs() throws Exception {
        ObjectNode spec = (ObjectNode) JSON.readTree(
                "{\"process\": {\"args\": [\"echo\", \"hello\"]}, \"root\": {\"path\": \"rootfs\", \"readonly\": true}}");
        CreateContainerRequest request = KataRequests.createContainer(new io.vcj.vc.agent.CreateContainerRequest(
                "web", "web", spec, "/run/vcj/shared/web/rootfs", List.of(),
                List.of(new GuestDevice("blk", "02/00", "/dev/xvda")), false));

        assertEquals("web", request.getContainerId());
        assertEquals("web", request.getExecId());
        assertEquals("/run/vcj/shared/web/rootfs", request.getOCI().getRoot().getPath());
        assertTrue(request.getOCI().getRoot().getReadonly());
        assertEquals(List.of("echo", "hello"), request.getOCI().getProcess().getArgsList());
        assertEquals("02/00", request.getDevices(0).getId());
        assertEquals("blk", request.getDevices(0).getType());
        assertEquals("/dev/xvda", request.getDevices(0).getContainerPath());
    }

    @Test
    void signallingAllProcessesNamesNoExec() {
        assertEquals("", KataRequests.signal("web", "exec-1", 9, true).getExecId());
        assertEquals("exec-1", KataRequests.signal("web", "exec-1", 15, false).getExecId());
        assertEquals(15, KataRequests.signal("web", "exec-1", 15, false).getSignal());
    }

    @Test
    void removalTimeoutIsRoundedUpToWholeSeconds() {
        assertEquals(3, KataRequests.removeContainer("web", Duration.ofMillis(2001)).getTimeout());
        assertEquals(1, KataRequests.removeContainer("web", Duration.ZERO).getTimeout());
    }

    @Test
    void updateSendsOnlyTheLimitsThatAreSet() {
        var request = KataRequests.updateContainer("web",
                new ContainerResources(null, 50000L, 100000L, null, null, null, null, 32L));
        var resources = request.getResources();
        assertFalse(resources.hasMemory());
        assertEquals(50000, resources.getCPU().getQuota());
        assertEquals(100000, resources.getCPU().getPeriod());
        assertEquals(0, resources.getCPU().getShares());
        assertEquals(32, resources.getPids().getLimit());
    }

    @Test
    void interfaceAddressesAreSplitIntoAddressAndPrefix() {
        var guest = KataRequests.updateInterface(new NetInterface("eth0", "02:42:ac:11:00:02", 1500,
                List.of("10.88.0.5/16", "fd00::5/64"))).getInterface();
        assertEquals("eth0", guest.getName());
        assertEquals("02:42:ac:11:00:02", guest.getHwAddr());
        assertEquals(1500, guest.getMtu());
        assertEquals("10.88.0.5", guest.getIPAddresses(0).getAddress());
        assertEquals("16", guest.getIPAddresses(0).getMask());
        assertEquals(IPFamily.v6, guest.getIPAddresses(1).getFamily());
    }

    @Test
    void anAddressWithoutPrefixIsRefused() {
        var e = assertThrows(IllegalArgumentException.class, () -> KataRequests.updateInterface(
                new NetInterface("eth0", "02:42:ac:11:00:02", 1500, List.of("10.88.0.5"))));
        assertTrue(e.getMessage().contains("10.88.0.5"), e.getMessage());
    }

    @Test
    void defaultRouteHasNoDestination() {
        var routes = KataRequests.updateRoutes(List.of(
                new Route("default", "10.88.0.1", "eth0", null, 0),
                new Route("10.88.0.0/16", null, "eth0", "10.88.0.5", 253))).getRoutes();
        assertEquals("", routes.getRoutes(0).getDest());
        assertEquals("10.88.0.1", routes.getRoutes(0).getGateway());
        assertEquals("10.88.0.0/16", routes.getRoutes(1).getDest());
        assertEquals("", routes.getRoutes(1).getGateway());
        assertEquals(253, routes.getRoutes(1).getScope());
        assertEquals("10.88.0.5", routes.getRoutes(1).getSource());
    }

    @Test
    void neighborsArePermanent() {
        var neighbor = KataRequests.addArpNeighbors(List.of(new Neighbor("10.88.0.1", "02:42:0a:58:00:01", "eth0")))
                .getNeighbors().getARPNeighbors(0);
        assertEquals("10.88.0.1", neighbor.getToIPAddress().getAddress());
        assertEquals("02:42:0a:58:00:01", neighbor.getLladdr());
        assertEquals(KataRequests.NEIGHBOR_PERMANENT, neighbor.getState());
    }
}
