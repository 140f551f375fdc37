package io.vcj.it.cri;

import io.grpc.StatusRuntimeException;
import io.vcj.it.Containerd;
import io.vcj.it.cri.proto.ListPodSandboxRequest;
import io.vcj.it.cri.proto.PodSandbox;
import io.vcj.it.cri.proto.VersionRequest;
import io.vcj.it.image.OciImageTar;
import io.vcj.it.shim.ShimOnPath;
import io.vcj.it.shim.VcjTestConfig;
import io.vcj.it.vm.GuestImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;

/**
 * A private containerd with its CRI plugin on, as a Kubernetes node runs it: the runtime handler
 * {@value #HANDLER} is vcj (this build's shim, the test guest image, a vcj state root of its own),
 * the sandbox image is a local busybox image (no registry is reachable), and CNI reads only
 * {@link #cniConfDir()}, empty unless a test puts a network there. {@link #close()} removes the
 * pods left through CRI, so that the shims take their VMs down, then closes containerd.
 */
public final class CriContainerd implements AutoCloseable {

  public static final String HANDLER = "vcj";
  /** Where CRI keeps its containers and images. */
  public static final String NAMESPACE = "k8s.io";
  /** The sandbox ("pause") image; it also serves tests' containers, which name their commands. */
  public static final String IMAGE = "docker.io/vcj-it/pause:1";

  private final Path shimDir;
  private final Containerd containerd;
  private final CriClient client;
  private final Path vcjState;

  private CriContainerd(Path shimDir, Containerd containerd, CriClient client, Path vcjState) {
    this.shimDir = shimDir;
    this.containerd = containerd;
    this.client = client;
    this.vcjState = vcjState;
  }

  /** @param busybox a static busybox (HostRequirements.assumeStaticBusybox) to build the image from */
  public static CriContainerd start(GuestImage guest, Path busybox) throws IOException, InterruptedException {
    Path shimDir = ShimOnPath.create(Files.createTempDirectory("vcj-cri-shim"));
    Path vcjState = shortStateRoot();
    Containerd containerd = null;
    try {
      containerd = Containerd.builder().cri().namespace(NAMESPACE).shimDirectory(shimDir).ownedDirectory(vcjState)
          .config(CriContainerd::criToml).start();
      Files.createDirectories(cniConfDir(containerd.dir()));
      VcjTestConfig.write(vcjConfig(containerd.dir()), guest, vcjState, "");
      OciImageTar.busybox(busybox).name(IMAGE).entrypoint("/bin/sleep").cmd("1000000000")
          .writeTo(containerd.dir().resolve("pause.tar")).importInto(containerd);
      CriClient client = CriClient.connect(containerd.address());
      var cri = new CriContainerd(shimDir, containerd, client, vcjState);
      cri.requireCri();
      return cri;
    } catch (IOException | InterruptedException | RuntimeException e) {
      try {
        if (containerd != null) {
          containerd.close();
        }
        Files.deleteIfExists(vcjState);
        ShimOnPath.delete(shimDir);
      } catch (IOException | InterruptedException | RuntimeException cleanup) {
        e.addSuppressed(cleanup);
      }
      throw e;
    }
  }

  /** containerd starts without a plugin that fails to load; its log says why. */
  private void requireCri() throws IOException {
    try {
      client.runtime().version(VersionRequest.newBuilder().setVersion("v1").build());
    } catch (StatusRuntimeException e) {
      throw new IllegalStateException("containerd's CRI plugin does not answer (" + e.getMessage() + "); its log says:\n"
          + containerd.log().lines().filter(line -> line.contains("cri")).collect(Collectors.joining("\n")), e);
    }
  }

  public CriClient cri() {
    return client;
  }

  public Containerd containerd() {
    return containerd;
  }

  /** The vcj state root the shims use ({@code [runtime] state_root}): one dir per live pod. */
  public Path vcjState() {
    return vcjState;
  }

  /** The vcj config file of the {@value #HANDLER} handler; the shim of each new pod reads it. */
  public Path vcjConfig() {
    return vcjConfig(containerd.dir());
  }

  /** CRI's CNI config directory; a test that wants pod networks writes a conflist here. */
  public Path cniConfDir() {
    return cniConfDir(containerd.dir());
  }

  /** Stops and removes every pod CRI still lists, then closes containerd and the shim launcher. */
  @Override
  public void close() throws IOException, InterruptedException {
    List<Exception> failures = new ArrayList<>();
    try {
      for (PodSandbox pod : client.runtime().listPodSandbox(ListPodSandboxRequest.getDefaultInstance()).getItemsList()) {
        CriPod.stopAndRemove(client, pod.getId());
      }
    } catch (RuntimeException e) {
      failures.add(e);
    }
    client.close();
    try {
      containerd.close();
    } catch (IOException e) {
      failures.add(e);
    }
    ShimOnPath.delete(shimDir);
    if (!failures.isEmpty()) {
      IOException failure = new IOException("removing the CRI pods and containerd in " + containerd.dir() + " failed");
      failures.forEach(failure::addSuppressed);
      throw failure;
    }
  }

  private static String criToml(Path dir) {
    String cri = "[plugins.\"io.containerd.grpc.v1.cri\"";
    return """
        %1$s]
          sandbox_image = %2$s
          stream_server_address = "127.0.0.1"
          stream_server_port = "0"
        %1$s.containerd.runtimes.runc]
          runtime_type = "io.containerd.runc.v2"
        %1$s.containerd.runtimes.%3$s]
          runtime_type = %4$s
        %1$s.containerd.runtimes.%3$s.options]
          ConfigPath = %5$s
        %1$s.cni]
          conf_dir = %6$s
        """.formatted(cri, quoted(IMAGE), HANDLER, quoted(ShimOnPath.RUNTIME), quoted(vcjConfig(dir)),
        quoted(cniConfDir(dir)));
  }

  private static Path vcjConfig(Path dir) {
    return dir.resolve("vcj.toml");
  }

  /**
   * CRI's pod ids are 64 hex digits, and a pod's run dir {@code <root>/<id>} holds QEMU's sockets,
   * whose paths must fit in 107 bytes: containerd's temp dir is too long a root.
   */
  private static Path shortStateRoot() throws IOException {
    return Files.createDirectory(Path.of("/run/vcj-it-" + Integer.toHexString(ThreadLocalRandom.current().nextInt())));
  }

  private static Path cniConfDir(Path dir) {
    return dir.resolve("net.d");
  }

  private static String quoted(Object value) {
    return "\"" + value + "\"";
  }
}
