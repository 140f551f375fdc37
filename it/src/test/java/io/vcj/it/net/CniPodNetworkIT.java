package io.vcj.it.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vcj.it.Await;
import io.vcj.it.BusyboxRootfs;
import io.vcj.it.Containerd;
import io.vcj.it.CtrResult;
import io.vcj.it.HostRequirements;
import io.vcj.it.ProcessesMentioning;
import io.vcj.it.shim.ShimOnPath;
import io.vcj.it.shim.VcjTestConfig;
import io.vcj.it.vm.GuestImage;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Two pods on a CNI bridge of the test's own. One comes from {@code ctr run --cni}: CNI's bridge
 * plugin puts a veth into the network namespace of the task's pid (QEMU's, in the namespace the
 * shim made) between create and start. The other joins a namespace the test set up with the
 * plugin before create, as CRI does. The container in the VM is then on the bridge as a runc
 * container would be. The pods share the checks (a VM boot under TCG is expensive); the last check
 * deletes them, the first by killing its shim, and looks for anything left. Traffic goes only to
 * the test's bridge and pods.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CniPodNetworkIT {
  private static final Duration PATIENCE = Duration.ofMinutes(2);
  private static final String WEB = "web";
  /** A pod whose namespace CNI set up before the sandbox was created, as CRI does. */
  private static final String PREMADE = "premade";
  private static final int HTTP_PORT = 8080;

  private final String token = UUID.randomUUID().toString();
  private final AtomicInteger execs = new AtomicInteger();
  private Path shimDir;
  private Containerd containerd;
  private CniBridge network;
  private Path rootfs;
  private Path config;
  private String webIp;
  private Path premadeNetns;

  @BeforeAll
  void podsOnATestBridge() throws Exception {
    HostRequirements.assumeRootWithContainerd();
    Path busybox = HostRequirements.assumeStaticBusybox();
    CniBridge.assumePluginsInstalled();
    GuestImage guest = GuestImage.get();
    shimDir = ShimOnPath.create(Files.createTempDirectory("vcj-net-it"));
    containerd = Containerd.builder().shimDirectory(shimDir).start();
    network = CniBridge.create(containerd.dir(), CniBridge.CTR_CONF_DIR);
    rootfs = BusyboxRootfs.create(busybox, containerd.dir().resolve("rootfs"));
    Files.writeString(Files.createDirectories(rootfs.resolve("www")).resolve("index.html"), token);
    config = VcjTestConfig.write(containerd.dir().resolve("vcj.toml"), guest, stateRoot(), "");

    runPod(WEB, "/bin/busybox", "httpd", "-f", "-p", Integer.toString(HTTP_PORT), "-h", "/www");
    webIp = network.leasedAddress(containerd.namespace() + "-" + WEB);
    premadeNetns = Path.of("/run/netns", network.name + "-" + PREMADE);
    CniBridge.ip("netns", "add", premadeNetns.getFileName().toString());
    network.add(PREMADE, premadeNetns);
    containerd.ctr("run", "--runtime", ShimOnPath.RUNTIME, "--runtime-config-path", config.toString(),
        "--with-ns", "network:" + premadeNetns, "-d", "--rootfs", rootfs.toString(), PREMADE,
        "/bin/sleep", "1000").orThrow();
  }

  @AfterAll
  void removeEverything() throws Exception {
    try {
      if (containerd != null) {
        containerd.close();
      }
    } finally {
      if (premadeNetns != null && Files.exists(premadeNetns)) {
        network.delete(PREMADE, premadeNetns);
        CniBridge.ip("netns", "del", premadeNetns.getFileName().toString());
      }
      if (network != null) {
        network.close();
      }
      if (shimDir != null) {
        ShimOnPath.delete(shimDir);
      }
    }
  }

  @Test
  @Order(1)
  void theContainerHasTheAddressMacAndRoutesCniGaveIt() throws Exception {
    Path podNetns = stateRoot().resolve(WEB).resolve("netns");
    String cniMac = CniBridge.ipIn(podNetns, "-j", "link", "show", "dev", "eth0").get(0).path("address").asText();

    assertTrue(exec(WEB, "ip", "-o", "-4", "addr", "show", "dev", "eth0").contains("inet " + webIp + "/24"));
    assertEquals(cniMac, exec(WEB, "cat", "/sys/class/net/eth0/address").strip());
    assertTrue(exec(WEB, "ip", "route").contains("default via " + network.gateway() + " dev eth0"));
  }

  @Test
  @Order(2)
  void theContainerReachesAServerOnTheBridgeAddress() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getByName(network.gateway()))) {
      server.setSoTimeout((int) PATIENCE.toMillis());
      CompletableFuture<String> received = CompletableFuture.supplyAsync(() -> {
        try (Socket peer = server.accept()) {
          return new BufferedReader(new InputStreamReader(peer.getInputStream(), StandardCharsets.UTF_8)).readLine();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });

      exec(WEB, "sh", "-c", "echo hello-from-" + WEB + " | /bin/busybox nc " + network.gateway() + " "
          + server.getLocalPort());

      assertEquals("hello-from-" + WEB, received.get(PATIENCE.toSeconds(), TimeUnit.SECONDS));
    }
  }

  @Test
  @Order(3)
  void aHostClientReachesTheServerInTheContainerOnThePodAddress() throws Exception {
    assertEquals(token, PodHttp.get(webIp, HTTP_PORT, "/index.html"));
  }

  @Test
  @Order(4)
  void aPodInANamespaceCniSetUpBeforeCreateHasItsAddressAndReachesTheOtherPod() throws Exception {
    String address = network.leasedAddress(PREMADE);
    assertTrue(exec(PREMADE, "ip", "-o", "-4", "addr", "show", "dev", "eth0").contains("inet " + address + "/24"));

    // busybox nc, not wget: the static glibc busybox's wget crashes looking up a name service.
    String response = exec(PREMADE, "sh", "-c", "printf 'GET /index.html HTTP/1.0\\r\\n\\r\\n' | /bin/busybox nc -w 60 "
        + webIp + " " + HTTP_PORT);

    assertTrue(response.matches("(?s)HTTP/1\\.[01] 200 OK\r\n.*"), response);
    assertTrue(response.endsWith(token), response);
  }

  @Test
  @Order(5)
  void deletedPodsLeaveNoNetworkBehindAlsoWhenTheirShimWasKilled() throws Exception {
    containerd.ctr("tasks", "kill", "-s", "KILL", PREMADE).orThrow();
    Await.until(PATIENCE, () -> taskStopped(PREMADE));
    containerd.ctr("tasks", "delete", PREMADE).orThrow();
    ProcessHandle webShim = new ProcessesMentioning("io.vcj.shim.ShimMain", "-id " + WEB).list().getFirst();
    webShim.destroyForcibly();
    Await.until(PATIENCE, () -> containerd.ctr("tasks", "ls", "-q").orThrow().stdout().isBlank()
        && network.ports().size() == 1);

    Path webNetns = stateRoot().resolve(WEB).resolve("netns");
    assertFalse(Files.exists(webNetns), "network namespace file " + webNetns + " left behind");
    assertFalse(Files.readString(Path.of("/proc/self/mountinfo")).contains(webNetns.toString()),
        webNetns + " is still mounted");
    assertEquals("", containerd.ctr("tasks", "ls", "-q").orThrow().stdout().strip());
    assertEquals(1, network.ports().size(), "the veth of the namespace vcj made outlived it (only the one of the"
        + " namespace CNI made may stay): " + network.ports());
    assertEquals(List.of("eth0", "lo"), CniBridge.ipIn(premadeNetns, "-j", "link", "show")
        .findValuesAsText("ifname").stream().sorted().toList(), "vcj's tap left in the namespace CNI made");
    assertFalse(CniBridge.tcIn(premadeNetns, "-j", "qdisc", "show", "dev", "eth0").findValuesAsText("kind")
        .contains("ingress"), "vcj's ingress qdisc and its filter left on the pod interface");
    assertEquals(List.of(), new ProcessesMentioning("qemu-system", containerd.dir().toString()).list(),
        "QEMU still runs");
  }

  private void runPod(String id, String... command) throws Exception {
    List<String> args = new ArrayList<>(List.of("run", "--runtime", ShimOnPath.RUNTIME,
        "--runtime-config-path", config.toString(), "--cni", "-d", "--rootfs", rootfs.toString(), id));
    args.addAll(List.of(command));
    containerd.ctr(args.toArray(String[]::new)).orThrow();
  }

  /** Runs a busybox applet in the container; its stdout. */
  private String exec(String id, String... applet) throws Exception {
    List<String> args = new ArrayList<>(List.of("tasks", "exec", "--exec-id", "check" + execs.incrementAndGet(),
        id, "/bin/busybox"));
    args.addAll(List.of(applet));
    CtrResult result = containerd.ctr(args.toArray(String[]::new));
    return result.orThrow().stdout();
  }

  private boolean taskStopped(String id) throws Exception {
    return containerd.ctr("tasks", "ls").orThrow().stdout().lines()
        .anyMatch(line -> line.startsWith(id + " ") && line.contains("STOPPED"));
  }

  private Path stateRoot() {
    return containerd.dir().resolve("vcj-state");
  }
}
