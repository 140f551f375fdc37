package io.vcj.netns;

import io.vcj.vc.config.NetInterworkingModel;
import io.vcj.vc.hypervisor.Device;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;

import static io.vcj.netns.PodNamespaces.HOST_IP;
import static io.vcj.netns.PodNamespaces.HOST_VETH;
import static io.vcj.netns.PodNamespaces.POD_IP;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Traffic between the "host bridge" end of the pod's veth and the VM's end of the tap, with no VM:
 * the test holds the tap open as QEMU would and plays the guest with hand-made frames.
 */
class PodTrafficTest {
    private static final int VM_PORT = 5000;
    /**
     * A tap QEMU (here the test) just opened gets its carrier, and with it a queue that does not
     * drop frames, a moment later; so frames are sent again until one gets through.
     */
    private static final int ATTEMPTS = 20;
    private static final Duration WAIT_PER_ATTEMPT = Duration.ofSeconds(1);

    private PodNamespaces namespaces;

    @BeforeEach
    void createPodNamespaces() {
        assumeTrue("root".equals(System.getProperty("user.name")), "creates network namespaces: needs root");
        namespaces = PodNamespaces.create();
    }

    @AfterEach
    void deleteNamespaces() {
        if (namespaces != null) {
            namespaces.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = NetInterworkingModel.class, names = {"TC_FILTER", "BRIDGED"})
    void datagramsFlowBothWaysBetweenTheHostAndTheVm(NetInterworkingModel model) throws Throwable {
        Device.Network nic = new PodNetworkSetup().setUp("sb", namespaces.config(model)).devices().getFirst();
        // as if the host had resolved the guest by ARP: answering ARP is the guest's job, not the network setup's
        namespaces.inHost("neigh", "add", POD_IP, "lladdr", nic.macAddress(), "dev", HOST_VETH, "nud", "permanent");

        try (DatagramSocket host = NetnsThread.call(namespaces.hostPath(),
                     () -> new DatagramSocket(new InetSocketAddress(HOST_IP, 0)));
             TapDevice vm = TapDevice.open(namespaces.podPath(), nic.tapName())) {
            host.setSoTimeout((int) WAIT_PER_ATTEMPT.toMillis());
            byte[] toHost = EthernetFrames.udp(nic.macAddress(), namespaces.hostMac(), ipv4(POD_IP), VM_PORT,
                    ipv4(HOST_IP), host.getLocalPort(), "to the host".getBytes(UTF_8));

            for (int attempt = 1; ; attempt++) {
                host.send(new DatagramPacket("to the vm".getBytes(UTF_8), "to the vm".length(),
                        new InetSocketAddress(POD_IP, VM_PORT)));
                byte[] received = nextDatagramTo(vm, VM_PORT);
                if (received != null) {
                    assertEquals("to the vm", new String(received, UTF_8));
                    break;
                }
                assertTrue(attempt < ATTEMPTS, "no datagram to port " + VM_PORT + " reached the tap");
            }
            for (int attempt = 1; ; attempt++) {
                vm.write(toHost);
                DatagramPacket received = new DatagramPacket(new byte[64], 64);
                try {
                    host.receive(received);
                } catch (SocketTimeoutException e) {
                    assertTrue(attempt < ATTEMPTS, "no datagram from the tap reached the host");
                    continue;
                }
                assertEquals("to the host", new String(received.getData(), 0, received.getLength(), UTF_8));
                assertEquals(POD_IP, received.getAddress().getHostAddress());
                break;
            }
        }
    }

    /** Null if none came in time; skips what else the host sends (IPv6 neighbour discovery and the like). */
    private static byte[] nextDatagramTo(TapDevice vm, int port) throws Throwable {
        byte[] frame;
        while ((frame = vm.read(WAIT_PER_ATTEMPT)) != null) {
            byte[] payload = EthernetFrames.udpPayloadTo(frame, port);
            if (payload != null) {
                return payload;
            }
        }
        return null;
    }

    private static Inet4Address ipv4(String address) throws Exception {
        return (Inet4Address) InetAddress.getByName(address);
    }
}
