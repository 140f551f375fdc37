package io.vcj.it.net;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A CNI network of the test's own for {@code ctr run --cni}: a conflist in /etc/cni/net.d (where
 * ctr looks; named to sort first, as ctr takes the first) with the bridge plugin on a bridge and a
 * /24 no other route on the host uses, host-local IPAM keeping its leases in the test's directory.
 * Closing removes the conflist, the bridge and the leases.
 */
final class CniBridge implements AutoCloseable {
  private static final Path CONF_DIR = Path.of("/etc/cni/net.d");
  private static final Path PLUGIN_DIR = Path.of("/opt/cni/bin");
  private static final ObjectMapper JSON = new ObjectMapper();

  final String name;
  final String bridge;
  /** The first three octets of the subnet, e.g. "10.123.42". */
  private final String prefix;
  private final Path conflist;
  private final Path leases;

  private CniBridge(String name, String bridge, String prefix, Path conflist, Path leases) {
    this.name = name;
    this.bridge = bridge;
    this.prefix = prefix;
    this.conflist = conflist;
    this.leases = leases;
  }

  /** Whether ctr will find the bridge and host-local plugins (scripts/test links them). */
  static boolean pluginsInstalled() {
    return Files.isExecutable(PLUGIN_DIR.resolve("bridge")) && Files.isExecutable(PLUGIN_DIR.resolve("host-local"));
  }

  static CniBridge create(Path dir) throws IOException, InterruptedException {
    long pid = ProcessHandle.current().pid();
    String name = "vcj-it-" + pid;
    String bridge = "vcjbr" + pid;
    String prefix = freeSubnetPrefix();
    Path leases = Files.createDirectories(dir.resolve("cni-leases"));
    Files.createDirectories(CONF_DIR);
    Path conflist = CONF_DIR.resolve("00-" + name + ".conflist");
    Files.writeString(conflist, """
        {"cniVersion": "1.0.0", "name": "%s",
         "plugins": [{"type": "bridge", "bridge": "%s", "isGateway": true, "ipMasq": false,
                      "ipam": {"type": "host-local", "dataDir": "%s",
                               "ranges": [[{"subnet": "%s.0/24", "gateway": "%s.1"}]],
                               "routes": [{"dst": "0.0.0.0/0"}]}}]}
        """.formatted(name, bridge, leases, prefix, prefix));
    return new CniBridge(name, bridge, prefix, conflist, leases);
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
    return ip(List.of(), args);
  }

  /** {@code ip} in the network namespace mounted at {@code netns}. */
  static JsonNode ipIn(Path netns, String... args) throws IOException, InterruptedException {
    return ip(List.of("nsenter", "--net=" + netns), args);
  }

  private static JsonNode ip(List<String> prefix, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(prefix);
    command.add("ip");
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
