package io.vcj.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * The smallest container root filesystem: a static busybox and links for the applets tests run.
 * For {@code ctr run --rootfs <dir>}, which needs no image and so no registry.
 */
public final class BusyboxRootfs {

  private static final List<String> APPLETS = List.of("sh", "echo", "cat", "sleep", "ls", "env", "id", "pwd", "tty", "stty", "sha256sum");

  private BusyboxRootfs() {
  }

  public static Path create(Path busybox, Path dir) throws IOException {
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Files.copy(busybox, bin.resolve("busybox"), StandardCopyOption.COPY_ATTRIBUTES);
    for (String applet : APPLETS) {
      Files.createSymbolicLink(bin.resolve(applet), Path.of("busybox"));
    }
    return dir;
  }
}
