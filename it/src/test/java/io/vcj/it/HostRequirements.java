package io.vcj.it;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/** Skips integration tests on hosts that cannot run them, saying why. */
public final class HostRequirements {

  private HostRequirements() {
  }

  /** containerd needs root for its mounts, cgroups and sockets; scripts/test installs the binaries. */
  public static void assumeRootWithContainerd() {
    assumeTrue(isRoot(), "skipped: containerd tests need root (uid 0)");
    for (String binary : new String[] {"containerd", "ctr"}) {
      assumeTrue(onPath(binary).isPresent(),
          "skipped: `" + binary + "` is not on PATH; scripts/test installs containerd");
    }
  }

  /**
   * A statically linked busybox, which alone makes a usable container rootfs
   * (Debian's busybox-static; scripts/test installs it).
   */
  public static Path assumeStaticBusybox() throws IOException, InterruptedException {
    Optional<Path> busybox = onPath("busybox");
    assumeTrue(busybox.isPresent(), "skipped: `busybox` is not on PATH; install busybox-static");
    // ldd fails on a static executable ("not a dynamic executable").
    Process ldd = new ProcessBuilder("ldd", busybox.get().toString())
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectErrorStream(true)
        .start();
    assumeTrue(ldd.waitFor() != 0, "skipped: " + busybox.get() + " is dynamically linked; install busybox-static");
    return busybox.get();
  }

  /** Absolute path of an executable found on PATH. */
  public static Optional<Path> onPath(String binary) {
    String path = System.getenv().getOrDefault("PATH", "");
    return Arrays.stream(path.split(File.pathSeparator))
        .filter(dir -> !dir.isEmpty())
        .map(dir -> Path.of(dir, binary))
        .filter(Files::isExecutable)
        .findFirst();
  }

  static Path requireOnPath(String binary) {
    return onPath(binary).orElseThrow(() -> new IllegalStateException("`" + binary + "` is not on PATH"));
  }

  private static boolean isRoot() {
    try {
      // /proc/self belongs to the effective uid of the reading process.
      return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
    } catch (IOException | UnsupportedOperationException e) {
      return false;
    }
  }
}
