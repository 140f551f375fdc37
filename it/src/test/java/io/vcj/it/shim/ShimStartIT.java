package io.vcj.it.shim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vcj.it.Await;
import io.vcj.it.ProcessesMentioning;
import io.vcj.it.Sha256;
import io.vcj.it.vm.GuestImage;
import io.vcj.shim.proto.task.ShutdownRequest;
import io.vcj.shim.proto.task.StateRequest;
import io.vcj.shim.proto.task.TaskTtrpcClient;
import io.vcj.ttrpc.StatusCode;
import io.vcj.ttrpc.TtrpcClient;
import io.vcj.ttrpc.TtrpcException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The start protocol as containerd drives it, through the installed launcher: a real process per
 * command, in the bundle, whose whole output (read to its end, as containerd does) is the address.
 * Nothing boots: no task is created.
 */
@Timeout(120)
class ShimStartIT {

  @TempDir
  Path dir;
  private final String id = "vcj-start-it-" + UUID.randomUUID();
  private Path bin;
  private Path bundle;
  private Path config;
  private Path containerdAddress;
  private Path socket;

  @BeforeEach
  void launcherBundleAndConfig() throws Exception {
    bin = ShimOnPath.create(Files.createTempDirectory("vcj-start-it"));
    bundle = Files.createDirectories(dir.resolve("bundle"));
    Files.createDirectories(bundle.resolve("rootfs"));
    Files.writeString(bundle.resolve("config.json"), "{\"ociVersion\": \"1.0.2\", \"annotations\": {}}");
    config = VcjTestConfig.write(dir.resolve("configuration.toml"), GuestImage.get(), dir.resolve("state"), "");
    containerdAddress = dir.resolve("containerd.sock");
    // containerd's runc shim convention: one socket per containerd, namespace and group.
    socket = Path.of("/run/containerd/s",
        Sha256.of((containerdAddress + "/ns/" + id).getBytes(StandardCharsets.UTF_8)));
  }

  /** A SIGTERM before the shim's JVM is up would leave its socket: wait for it to serve first. */
  @AfterEach
  void stopShims() throws Exception {
    for (ProcessHandle shim : shims()) {
      awaitServing();
      shim.destroy();
      shim.onExit().get(60, TimeUnit.SECONDS);
    }
    Files.deleteIfExists(socket);
    ShimOnPath.delete(bin);
  }

  @Test
  void printsOnlyTheAddressAndLeavesAShimServingIt() throws Exception {
    Result start = run(config, "start");

    assertEquals(new Result(0, "unix://" + socket, ""), start);
    assertEquals("unix://" + socket, Files.readString(bundle.resolve("address")));
    awaitServing();
    assertEquals(1, shims().size());
  }

  @Test
  void aSecondStartOfTheGroupSharesTheShim() throws Exception {
    run(config, "start");

    Result again = run(config, "start");

    assertEquals(new Result(0, "unix://" + socket, ""), again);
    assertEquals(1, shims().size());
  }

  @Test
  void shutdownWithNoTaskLeftEndsTheShimAndItsSocket() throws Exception {
    run(config, "start");
    ProcessHandle shim = shims().getFirst();

    try (TtrpcClient client = TtrpcClient.connect(socket)) {
      TaskTtrpcClient.of(client).shutdown(ShutdownRequest.newBuilder().setId(id).build());
    } catch (TtrpcException e) {
      assertEquals(StatusCode.UNAVAILABLE, e.code(), "containerd accepts a closed connection, nothing else: " + e);
    }
    shim.onExit().get(60, TimeUnit.SECONDS);

    assertFalse(Files.exists(socket), socket + " left behind");
  }

  @Test
  void sigtermEndsAServingShimAndItsSocket() throws Exception {
    run(config, "start");
    ProcessHandle shim = shims().getFirst();
    awaitServing();

    shim.destroy();
    shim.onExit().get(60, TimeUnit.SECONDS);

    assertFalse(Files.exists(socket), socket + " left behind");
  }

  @Test
  void theShimLogsToTheBundlesLogFifo() throws Exception {
    Path fifo = bundle.resolve("log");
    assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
    // containerd holds the FIFO open read-write before start, so a shim's open never blocks.
    try (FileChannel log = FileChannel.open(fifo, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      run(config, "start");
      awaitServing();

      ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
      String serving = "serving on unix://" + socket;
      Await.until(Duration.ofSeconds(30), () -> {
        log.read(buffer);
        return new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8).contains(serving);
      });
    }
  }

  @Test
  void aBrokenConfigFailsStartNamingTheProblem() throws Exception {
    Files.writeString(config, "[hypervisor.qemu]\ndefault_memory = \"lots\"\n");

    Result start = run(config, "start");

    assertEquals(new Result(1, "", "containerd-shim-vcj-v2: " + config
        + ":2: [hypervisor.qemu] default_memory: must be an integer, got a string \"lots\"\n"), start);
    assertFalse(Files.exists(socket));
    assertEquals(List.of(), shims());
  }

  private Result run(Path vcjConfig, String action) throws Exception {
    ProcessBuilder builder = new ProcessBuilder(bin.resolve("containerd-shim-vcj-v2").toString(),
        "-namespace", "ns", "-address", containerdAddress.toString(), "-id", id, action)
        .directory(bundle.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
    builder.environment().put("VCJ_CONFIG", vcjConfig.toString());
    Process process = builder.start();
    // To the end of both, as containerd reads start's output: a shim holding them would hang here.
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    return new Result(process.waitFor(), out, err);
  }

  /**
   * The socket is there once start has answered; a request on it is answered once the shim's task
   * service runs (until then the connection waits in the backlog).
   */
  private void awaitServing() throws Exception {
    try (TtrpcClient client = TtrpcClient.connect(socket)) {
      assertThrows(TtrpcException.class,
          () -> TaskTtrpcClient.of(client).state(StateRequest.newBuilder().setId("no-such-task").build()));
    }
  }

  /** This test's long-lived shims: JVMs started for our id (the launcher's shell is gone once start answered). */
  private List<ProcessHandle> shims() {
    return new ProcessesMentioning("io.vcj.shim.ShimMain", "-id " + id).list();
  }

  private record Result(int exitCode, String stdout, String stderr) {
  }
}
