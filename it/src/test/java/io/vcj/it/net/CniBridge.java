package io.vcj.it.net;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A CNI network of the test's own for {@code ctr run --cni} or CRI: a conflist (named to sort
 * first, as ctr takes the first) with the bridge plugin on a bridge and a
 * /24 no other route on the host uses, host-local IPAM keeping its leases in the test's directory.
 * Tests can also run the plugin themselves, as CRI would, on a namespace they made.
 * Closing removes the conflist, the bridge, the leases and libcni's cached results.
 */
final class CniBridge implements AutoCloseable {
  /** Where {@code ctr run --cni} looks (it cannot be told otherwise). */
  static final Path CTR_CONF_DIR = Path.of("/etc/cni/net.d");
  private static final Path PLUGIN_DIR = Path.of("/opt/cni/bin");
  /** Where libcni (in ctr) caches each ADD's result until the DEL that a detached run never makes. */
  private static final Path RESULT_CACHE = Path.of("/var/lib/cni/results");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CNI_VERSION = "1.0.0";
  private static final AtomicInteger CREATED = new AtomicInteger();

  final String name;
  final String bridge;
  /** The first three octets of the subnet, e.g. "10.123.42". */
  private final String prefix;
  /** The bridge plugin's config, a JSON object. */
  private final String plugin;
  private final Path conflist;
  private final Path leases;

  private CniBridge(String name, String bridge, String prefix, String plugin, Path conflist, Path leases) {
    this.name = name;
    this.bridge = bridge;
    this.prefix = prefix;
    this.plugin = plugin;
    this.conflist = conflist;
    this.leases = leases;
  }

  /** Skips the test unless ctr and CRI will find the bridge and host-local plugins. */
  static void assumePluginsInstalled() {
    assumeTrue(Files.isExecutable(PLUGIN_DIR.resolve("bridge")) && Files.isExecutable(PLUGIN_DIR.resolve("host-local")),
        "skipped: no CNI bridge/host-local plugins in " + PLUGIN_DIR + " (scripts/test links Debian's from /usr/lib/cni)");
  }

  /** @param confDir where the conflist goes: {@link #CTR_CONF_DIR}, or the CRI plugin's conf_dir */
  static CniBridge create(Path dir, Path confDir) throws IOException, InterruptedException {
    String unique = ProcessHandle.current().pid() + "x" + CREATED.incrementAndGet();
    String name = "vcj-it-" + unique;
    String bridge = "vcjbr" + unique;
    String prefix = freeSubnetPrefix();
    Path leases = Files.createDirectories(dir.resolve("cni-leases"));
    Files.createDirectories(confDir);
    String plugin = """
        {"type": "bridge", "bridge": "%s", "isGateway": true, "ipMasq": false,
         "ipam": {"type": "host-local", "dataDir": "%s", "ranges": [[{"subnet": "%s.0/24", "gateway": "%s.1"}]],
                  "routes": [{"dst": "0.0.0.0/0"}]}}""".formatted(bridge, leases, prefix, prefix);
    Path conflist = confDir.resolve("00-" + name + ".conflist");
    Files.writeString(conflist, """
        {"cniVersion": "%s", "name": "%s", "plugins": [%s]}
        """.formatted(CNI_VERSION, name, plugin));
    return new CniBridge(name, bridge, prefix, plugin, conflist, leases);
  }

  /** What CRI does for a pod before its sandbox is created: the plugin's ADD for eth0 in {@code netns}. */
  void add(String containerId, Path netns) throws IOException, InterruptedException {
    invoke("ADD", containerId, netns);
  }

  void delete(String containerId, Path netns) throws IOException, InterruptedException {
    invoke("DEL", containerId, netns);
  }

  /** A plugin reads its config, with the network's name and CNI version added, on stdin. */
  private void invoke(String command, String containerId, Path netns) throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(PLUGIN_DIR.resolve("bridge").toString()).redirectErrorStream(true);
    builder.environment().putAll(Map.of("CNI_COMMAND", command, "CNI_CONTAINERID", containerId,
        "CNI_NETNS", netns.toString(), "CNI_IFNAME", "eth0", "CNI_PATH", PLUGIN_DIR.toString()));
    Process process = builder.start();
    try (var stdin = process.getOutputStream()) {
      stdin.write(("{\"cniVersion\": \"" + CNI_VERSION + "\", \"name\": \"" + name + "\", "
          + plugin.strip().substring(1)).getBytes(StandardCharsets.UTF_8));
    }
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (process.waitFor() != 0) {
      throw new IllegalStateException("CNI " + command + " of " + containerId + " in " + netns + " failed: " + out);
    }
  }

  String gateway() {
    return prefix + ".1";
  }

  /** The address host-local leased to the container {@code <namespace>-<id>} (ctr's CNI id). */
  String leasedAddress(String cniContainerId) throws IOException {
    Path dir = leases.resolve(name);
    try (Stream<Path> files = Files.list(dir)) {
      for (Path lease : files.filter(f -> f.getFileName().toString().startsWith(prefix + ".")).toList()) {
        String owner = Files.readAllLines(lease, StandardCharsets.UTF_8).getFirst().strip();
        if (owner.equals(cniContainerId)) {
          return lease.getFileName().toString();
        }
      }
    }
    throw new IllegalStateException("host-local leased no address to " + cniContainerId + " in " + dir);
  }

  /** The links enslaved to the bridge (the host ends of the pods' veths). */
  List<String> ports() throws IOException, InterruptedException {
    List<String> ports = new ArrayList<>();
    for (JsonNode link : ip("-j", "link", "show", "master", bridge)) {
      ports.add(link.path("ifname").asText());
    }
    return ports;
  }

  @Override
  public void close() throws IOException, InterruptedException {
    Files.deleteIfExists(conflist);
    if (ip("-j", "link", "show").findValuesAsText("ifname").contains(bridge)) {
      ip("link", "del", "dev", bridge);
    }
    deleteTree(leases);
    if (Files.isDirectory(RESULT_CACHE)) {
      try (Stream<Path> results = Files.list(RESULT_CACHE)) {
        for (Path result : results.filter(r -> r.getFileName().toString().startsWith(name + "-")).toList()) {
          Files.delete(result);
        }
      }
    }
  }

  /** A 10.123.x.0/24 that no route of the host's touches. */
  private static String freeSubnetPrefix() throws IOException, InterruptedException {
    List<String> destinations = ip("-j", "-4", "route", "show", "table", "all").findValuesAsText("dst");
    for (int third = (int) (ProcessHandle.current().pid() % 200) + 20, tries = 0; tries < 200; tries++, third++) {
      String prefix = "10.123." + (third % 250);
      if (destinations.stream().noneMatch(dst -> dst.startsWith(prefix + ".") || dst.equals("10.123.0.0/16"))) {
        return prefix;
      }
    }
    throw new IllegalStateException("no free 10.123.x.0/24 on this host");
  }

  static JsonNode ip(String... args) throws IOException, InterruptedException {
    return run(List.of("ip"), args);
  }

  /** {@code ip} in the network namespace mounted at {@code netns}. */
  static JsonNode ipIn(Path netns, String... args) throws IOException, InterruptedException {
    return run(List.of("nsenter", "--net=" + netns, "ip"), args);
  }

  /** {@code tc} in the network namespace mounted at {@code netns}. */
  static JsonNode tcIn(Path netns, String... args) throws IOException, InterruptedException {
    return run(List.of("nsenter", "--net=" + netns, "tc"), args);
  }

  private static JsonNode run(List<String> tool, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(tool);
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (process.waitFor() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
    }
    return out.isBlank() ? JSON.createArrayNode() : JSON.readTree(out);
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }
}
