package io.vcj.it.shim;

import io.vcj.it.Containerd;
import io.vcj.it.CtrResult;
import io.vcj.it.HostRequirements;
import io.vcj.it.ProcessesMentioning;
import io.vcj.it.Sha256;
import io.vcj.it.image.OciImageTar;
import io.vcj.it.vm.GuestImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A private containerd whose PATH has this build's shim, a vcj config booting the test guest
 * under TCG, and a busybox image imported from a locally built OCI tar: what every test of
 * {@code ctr run --runtime io.containerd.vcj.v2} needs. {@link #close()} leaves nothing behind.
 */
final class VcjContainerd implements AutoCloseable {

  /** A VM boot under TCG on a loaded host, plus everything after it; patience, not a measurement. */
  static final Duration PATIENCE = Duration.ofMinutes(3);

  private final GuestImage guest;
  private final Path shimDir;
  private final Containerd containerd;
  private final Path config;
  private final String image;

  private VcjContainerd(GuestImage guest, Path shimDir, Containerd containerd, Path config, String image) {
    this.guest = guest;
    this.shimDir = shimDir;
    this.containerd = containerd;
    this.config = config;
    this.image = image;
  }

  /** Skips the test on hosts without root, containerd or a static busybox. */
  static VcjContainerd start() throws Exception {
    return start(UnaryOperator.identity());
  }

  /** {@code image} adds to the busybox image (entrypoint, env, files...) before it is imported. */
  static VcjContainerd start(UnaryOperator<OciImageTar> image) throws Exception {
    HostRequirements.assumeRootWithContainerd();
    Path busybox = HostRequirements.assumeStaticBusybox();
    GuestImage guest = GuestImage.get();
    Path shimDir = ShimOnPath.create(Files.createTempDirectory("vcj-shim-it"));
    Containerd containerd = null;
    try {
      containerd = Containerd.builder().shimDirectory(shimDir).start();
      Path config = containerd.dir().resolve("vcj.toml");
      writeConfig(config, guest, containerd, "");
      String name = image.apply(OciImageTar.busybox(busybox))
          .writeTo(containerd.dir().resolve("image.tar"))
          .importInto(containerd);
      return new VcjContainerd(guest, shimDir, containerd, config, name);
    } catch (Exception | Error e) {
      if (containerd != null) {
        containerd.close();
      }
      ShimOnPath.delete(shimDir);
      throw e;
    }
  }

  Containerd containerd() {
    return containerd;
  }

  GuestImage guest() {
    return guest;
  }

  Path config() {
    return config;
  }

  String image() {
    return image;
  }

  /** Rewrites the vcj config with {@code extraQemuKeys} at the end of [hypervisor.qemu], from line 5. */
  void writeConfig(String extraQemuKeys) throws IOException {
    writeConfig(config, guest, containerd, extraQemuKeys);
  }

  /** {@code ctr run} of the image with our runtime and config: {@code options}, then the id and command. */
  List<String> runArgs(List<String> options, String id, String... command) {
    List<String> args = new ArrayList<>(List.of("run", "--runtime", ShimOnPath.RUNTIME,
        "--runtime-config-path", config.toString()));
    args.addAll(options);
    args.add(image);
    args.add(id);
    args.addAll(List.of(command));
    return args;
  }

  /** Runs {@link #runArgs} to completion, stdin from /dev/null. */
  CtrResult run(List<String> options, String id, String... command) throws IOException, InterruptedException {
    return containerd.ctr(runArgs(options, id, command).toArray(String[]::new));
  }

  CtrResult ctr(String... args) throws IOException, InterruptedException {
    return containerd.ctr(args);
  }

  /** The pod VMs of this containerd. */
  List<ProcessHandle> qemus() {
    return new ProcessesMentioning("qemu-system", containerd.dir().toString()).list();
  }

  /** Where the shim keeps the sandbox state of the pod {@code id}. */
  Path sandboxState(String id) {
    return stateRoot(containerd).resolve(id);
  }

  /** Where containerd's shim protocol puts the socket of the group (here: container) {@code id}. */
  Path shimSocket(String id) {
    return Path.of("/run/containerd/s", Sha256.of(
        (containerd.address() + "/" + containerd.namespace() + "/" + id).getBytes(StandardCharsets.UTF_8)));
  }

  @Override
  public void close() throws Exception {
    try {
      containerd.close();
    } finally {
      ShimOnPath.delete(shimDir);
    }
  }

  private static Path stateRoot(Containerd containerd) {
    return containerd.dir().resolve("vcj-state");
  }

  private static void writeConfig(Path file, GuestImage guest, Containerd containerd, String extraQemuKeys)
      throws IOException {
    VcjTestConfig.write(file, guest, stateRoot(containerd), extraQemuKeys);
  }
}
