package io.vcj.it.net;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vcj.it.Await;
import io.vcj.it.Containerd;
import io.vcj.it.HostRequirements;
import io.vcj.it.shim.ShimOnPath;
import io.vcj.it.shim.VcjTestConfig;
import io.vcj.it.vm.GuestImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * scripts/bench-net: TCP throughput between the host and a pod on a CNI bridge, with iperf3, for a
 * runc container and a vcj pod in the same run (same bridge, rootfs and iperf3), both directions.
 * Usage: NetBench SECONDS (run from it/, after `mvn pre-integration-test`).
 */
public final class NetBench {
  private static final String RUNC = "io.containerd.runc.v2";
  private static final String IPERF_PORT = "5201";
  private static final ObjectMapper JSON = new ObjectMapper();

  private NetBench() {
  }

  public static void main(String[] args) throws Exception {
    int seconds = Integer.parseInt(args[0]);
    GuestImage guest = GuestImage.get();
    Path shimDir = ShimOnPath.create(Files.createTempDirectory("vcj-bench-net"));
    try (Containerd containerd = Containerd.builder().shimDirectory(shimDir).start();
         CniBridge network = CniBridge.create(containerd.dir(), CniBridge.CTR_CONF_DIR)) {
      Path busybox = HostRequirements.onPath("busybox").orElseThrow(() -> new IllegalStateException("no busybox"));
      Path rootfs = IperfRootfs.create(busybox, containerd.dir().resolve("rootfs"));
      Path config = VcjTestConfig.write(containerd.dir().resolve("vcj.toml"), guest,
          containerd.dir().resolve("vcj-state"), "");
      Map<String, double[]> results = new LinkedHashMap<>();
      results.put("runc", measure(containerd, network, rootfs, "bench-runc", List.of("--runtime", RUNC), seconds));
      results.put("vcj", measure(containerd, network, rootfs, "bench-vcj",
          List.of("--runtime", ShimOnPath.RUNTIME, "--runtime-config-path", config.toString()), seconds));
      print(results, seconds);
    } finally {
      ShimOnPath.delete(shimDir);
    }
  }

  /** {host->pod, pod->host} in bit/s; the pod runs the iperf3 server, the host the client. */
  private static double[] measure(Containerd containerd, CniBridge network, Path rootfs, String id,
                                  List<String> runtime, int seconds) throws Exception {
    // iperf3 maps a temp file as its buffer; tmpfs, for the rootfs in a VM is 9p, which cannot do that.
    List<String> run = new ArrayList<>(List.of("run", "--cni", "-d", "--env", "TMPDIR=/dev/shm"));
    run.addAll(runtime);
    run.addAll(List.of("--rootfs", rootfs.toString(), id, IperfRootfs.IPERF3.toString(), "-s", "-p", IPERF_PORT));
    containerd.ctr(run.toArray(String[]::new)).orThrow();
    try {
      String address = network.leasedAddress(containerd.namespace() + "-" + id);
      return new double[] {iperf(address, seconds, false), iperf(address, seconds, true)};
    } finally {
      containerd.ctr("tasks", "kill", "-s", "KILL", id);
      Await.until(Duration.ofMinutes(2), () -> containerd.ctr("tasks", "ls").orThrow().stdout().lines()
          .noneMatch(line -> line.startsWith(id + " ") && !line.contains("STOPPED")));
      containerd.ctr("tasks", "delete", id);
      containerd.ctr("containers", "delete", id);
    }
  }

  /** The client retries while the server in the pod is not listening yet (or its output is no report). */
  private static double iperf(String address, int seconds, boolean reverse) throws Exception {
    List<String> command = new ArrayList<>(List.of(IperfRootfs.IPERF3.toString(), "-c", address, "-p", IPERF_PORT,
        "-t", Integer.toString(seconds), "-O", "1", "-J"));
    if (reverse) {
      command.add("-R");
    }
    String last = "";
    for (int attempt = 0; attempt < 60; attempt++) {
      Process client = new ProcessBuilder(command).redirectErrorStream(true).start();
      last = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      // With -J, iperf3 3.12 exits 0 even when it could not connect; the report says so.
      JsonNode bitsPerSecond = JSON.readTree(last).path("end").path("sum_received").path("bits_per_second");
      if (client.waitFor() == 0 && bitsPerSecond.isNumber()) {
        return bitsPerSecond.asDouble();
      }
      Thread.sleep(1000);
    }
    throw new IllegalStateException(String.join(" ", command) + " kept failing: " + last);
  }

  private static void print(Map<String, double[]> results, int seconds) {
    double[] runc = results.get("runc");
    double[] vcj = results.get("vcj");
    System.out.printf("TCP throughput, iperf3 -t %d, one stream, host <-> pod on a CNI bridge (target vcj/runc >= 0.50)%n",
        seconds);
    System.out.printf("%-10s %14s %14s %9s%n", "direction", "runc Mbit/s", "vcj Mbit/s", "vcj/runc");
    String[] directions = {"host->pod", "pod->host"};
    for (int i = 0; i < directions.length; i++) {
      System.out.printf("%-10s %14.0f %14.0f %9.2f%n", directions[i], runc[i] / 1e6, vcj[i] / 1e6, vcj[i] / runc[i]);
    }
  }
}
