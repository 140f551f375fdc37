package io.vcj.it.net;

import io.vcj.it.BusyboxRootfs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A busybox rootfs that also holds the host's {@code iperf3} and the shared libraries {@code ldd}
 * names for it (at the same paths, so the dynamic loader finds them).
 */
final class IperfRootfs {
  static final Path IPERF3 = Path.of("/usr/bin/iperf3");
  /** "libc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x...)" or "/lib64/ld-linux-x86-64.so.2 (0x...)". */
  private static final Pattern LIBRARY = Pattern.compile("(/\\S+) \\(0x");

  private IperfRootfs() {
  }

  static Path create(Path busybox, Path dir) throws IOException, InterruptedException {
    BusyboxRootfs.create(busybox, dir);
    for (Path file : withLibraries(IPERF3)) {
      Path copy = dir.resolve(file.toString().substring(1));
      Files.createDirectories(copy.getParent());
      Files.copy(file.toRealPath(), copy, StandardCopyOption.REPLACE_EXISTING);
      copy.toFile().setExecutable(true);
    }
    return dir;
  }

  private static List<Path> withLibraries(Path binary) throws IOException, InterruptedException {
    Process ldd = new ProcessBuilder("ldd", binary.toString()).redirectErrorStream(true).start();
    String out = new String(ldd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (ldd.waitFor() != 0) {
      throw new IllegalStateException("ldd " + binary + " failed: " + out);
    }
    List<Path> files = new ArrayList<>(List.of(binary));
    Matcher library = LIBRARY.matcher(out);
    while (library.find()) {
      files.add(Path.of(library.group(1)));
    }
    return files;
  }
}
