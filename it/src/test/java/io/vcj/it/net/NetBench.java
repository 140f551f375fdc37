package io.vcj.it.net;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vcj.it.Await;
import io.vcj.it.Containerd;
import io.vcj.it.HostRequirements;
import io.vcj.it.ProcessCpu;
import io.vcj.it.shim.ShimOnPath;
import io.vcj.it.shim.VcjTestConfig;
import io.vcj.it.vm.GuestImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * scripts/bench-net: TCP throughput between the host and a pod on a CNI bridge, with iperf3, for a
 * runc container and a vcj pod in the same run (same bridge, rootfs and iperf3), both directions.
 * Usage: NetBench SECONDS (run from it/, after `mvn pre-integration-test`).
 */
public final class NetBench {
  private static final String RUNC = "io.containerd.runc.v2";
  private static final String IPERF_PORT = "5201";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Predicate<String> VCPU_THREAD = name -> name.startsWith("CPU ");

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
      Path stateRoot = containerd.dir().resolve("vcj-state");
      Path config = VcjTestConfig.write(containerd.dir().resolve("vcj.toml"), guest, stateRoot, "");
      List<Run> runc = measure(containerd, network, rootfs, "bench-runc", List.of("--runtime", RUNC), null, seconds);
      List<Run> vcj = measure(containerd, network, rootfs, "bench-vcj",
          List.of("--runtime", ShimOnPath.RUNTIME, "--runtime-config-path", config.toString()),
          stateRoot.resolve("bench-vcj").resolve("qemu.pid"), seconds);
      print(runc, vcj, seconds);
    } finally {
      ShimOnPath.delete(shimDir);
    }
  }

  /**
   * One iperf3 run. For a vcj pod also what its QEMU spent: CPU seconds per GB moved (the cost, which
   * the host's load does not change) and how busy its vCPU thread was (1.0: the emulated CPU is the limit).
   */
  private record Run(double bitsPerSecond, double qemuCpuSecondsPerGB, double vcpuBusy) {
  }

  /** Host->pod and pod->host; the pod runs the iperf3 server, the host the client. */
  private static List<Run> measure(Containerd containerd, CniBridge network, Path rootfs, String id,
                                   List<String> runtime, Path qemuPidFile, int seconds) throws Exception {
    // iperf3 maps a temp file as its buffer; tmpfs, for the rootfs in a VM is 9p, which cannot do that.
    List<String> run = new ArrayList<>(List.of("run", "--cni", "-d", "--env", "TMPDIR=/dev/shm"));
    run.addAll(runtime);
    run.addAll(List.of("--rootfs", rootfs.toString(), id, IperfRootfs.IPERF3.toString(), "-s", "-p", IPERF_PORT));
    containerd.ctr(run.toArray(String[]::new)).orThrow();
    try {
      String address = network.leasedAddress(containerd.namespace() + "-" + id);
      List<Run> runs = new ArrayList<>();
      for (boolean reverse : new boolean[] {false, true}) {
        runs.add(qemuPidFile == null ? new Run(iperf(address, seconds, reverse, () -> { }), Double.NaN, Double.NaN)
            : measured(Long.parseLong(Files.readString(qemuPidFile).strip()), address, seconds, reverse));
      }
      return runs;
    } finally {
      containerd.ctr("tasks", "kill", "-s", "KILL", id);
      Await.until(Duration.ofMinutes(2), () -> containerd.ctr("tasks", "ls").orThrow().stdout().lines()
          .noneMatch(line -> line.startsWith(id + " ") && !line.contains("STOPPED")));
      containerd.ctr("tasks", "delete", id);
      containerd.ctr("containers", "delete", id);
    }
  }

  private static Run measured(long qemu, String address, int seconds, boolean reverse) throws Exception {
    long[] start = new long[3]; // wall nanos, QEMU CPU millis, vCPU millis
    double bitsPerSecond = iperf(address, seconds, reverse, () -> {
      start[0] = System.nanoTime();
      start[1] = ProcessCpu.millis(qemu);
      start[2] = ProcessCpu.threadMillis(qemu, VCPU_THREAD);
    });
    double wallMillis = (System.nanoTime() - start[0]) / 1e6;
    double cpuSeconds = (ProcessCpu.millis(qemu) - start[1]) / 1e3;
    double vcpuMillis = ProcessCpu.threadMillis(qemu, VCPU_THREAD) - start[2];
    // The counters also ran through iperf3's connect and omitted first second: reckon bytes over the same time.
    double gigabytes = bitsPerSecond / 8 * (wallMillis / 1e3) / 1e9;
    return new Run(bitsPerSecond, cpuSeconds / gigabytes, vcpuMillis / wallMillis);
  }

  /** Called before each client attempt: only the attempt that reports is to be measured, not the retries. */
  private interface BeforeAttempt {
    void run() throws IOException;
  }

  /** The client retries while the server in the pod is not listening yet (or its output is no report). */
  private static double iperf(String address, int seconds, boolean reverse, BeforeAttempt beforeAttempt)
      throws Exception {
    List<String> command = new ArrayList<>(List.of(IperfRootfs.IPERF3.toString(), "-c", address, "-p", IPERF_PORT,
        "-t", Integer.toString(seconds), "-O", "1", "-J"));
    if (reverse) {
      command.add("-R");
    }
    String last = "";
    for (int attempt = 0; attempt < 60; attempt++) {
      beforeAttempt.run();
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

  private static void print(List<Run> runc, List<Run> vcj, int seconds) {
    System.out.printf("TCP throughput, iperf3 -t %d, one stream, host <-> pod on a CNI bridge (target vcj/runc >= 0.50)%n",
        seconds);
    System.out.printf("%-10s %12s %12s %9s %16s %10s%n", "direction", "runc Mbit/s", "vcj Mbit/s", "vcj/runc",
        "QEMU CPU s/GB", "vCPU busy");
    String[] directions = {"host->pod", "pod->host"};
    for (int i = 0; i < directions.length; i++) {
      Run vm = vcj.get(i);
      System.out.printf("%-10s %12.0f %12.0f %9.2f %16.2f %9.0f%%%n", directions[i], runc.get(i).bitsPerSecond() / 1e6,
          vm.bitsPerSecond() / 1e6, vm.bitsPerSecond() / runc.get(i).bitsPerSecond(), vm.qemuCpuSecondsPerGB(),
          vm.vcpuBusy() * 100);
    }
  }
}
