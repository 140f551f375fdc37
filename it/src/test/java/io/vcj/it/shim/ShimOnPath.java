package io.vcj.it.shim;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A directory holding {@code containerd-shim-vcj-v2} for containerd's PATH: the launcher
 * scripts/install installs (scripts/containerd-shim-vcj-v2), running the shim of this build. Its
 * VCJ_HOME is made here: the runtime is this test's JVM, lib holds this test's class path. The real
 * launcher, because {@code start} relies on it: it detaches the JVM that goes on as the pod's shim.
 */
public final class ShimOnPath {

  public static final String RUNTIME = "io.containerd.vcj.v2";
  /** The tests run in their module's directory, beside scripts. */
  private static final Path LAUNCHER = Path.of("..", "scripts", "containerd-shim-vcj-v2").toAbsolutePath().normalize();

  private ShimOnPath() {
  }

  /** @return the directory to put on PATH; {@link #delete} it afterwards */
  public static Path create(Path dir) throws IOException {
    if (!Files.isExecutable(LAUNCHER)) {
      throw new IllegalStateException("no shim launcher at " + LAUNCHER);
    }
    Path home = dir.resolve("shim-home");
    Path runtime = Files.createDirectories(home.resolve("runtime").resolve("bin"));
    Files.createSymbolicLink(runtime.resolve("java"), Path.of(ProcessHandle.current().info().command().orElseThrow()));
    Path lib = Files.createDirectories(home.resolve("lib"));
    List<String> classPath = List.of(System.getProperty("java.class.path").split(File.pathSeparator));
    for (int i = 0; i < classPath.size(); i++) {
      // The launcher takes lib/*.jar in name order: numbered, they keep this class path's order.
      Files.createSymbolicLink(lib.resolve("%04d.jar".formatted(i)), Path.of(classPath.get(i)).toAbsolutePath());
    }
    Path bin = Files.createDirectories(dir.resolve("shim-bin"));
    Path launcher = bin.resolve("containerd-shim-vcj-v2");
    Files.writeString(launcher, "#!/bin/sh\nexport VCJ_HOME=" + quoted(home.toString()) + "\nexec "
        + quoted(LAUNCHER.toString()) + " \"$@\"\n");
    Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
    return bin;
  }

  /** Removes what {@link #create} made, and the directory it was given. */
  public static void delete(Path bin) throws IOException {
    try (Stream<Path> tree = Files.walk(bin.getParent())) {
      for (Path path : tree.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }

  /** {@code word} as one sh word. */
  static String quoted(String word) {
    return "'" + word.replace("'", "'\\''") + "'";
  }
}
