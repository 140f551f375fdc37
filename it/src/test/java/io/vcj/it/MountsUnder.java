package io.vcj.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/** The mount points below one directory, as this mount namespace sees them, and their removal. */
public final class MountsUnder {

  private static final Logger LOG = LogManager.getLogger(MountsUnder.class);
  private static final Path MOUNTINFO = Path.of("/proc/self/mountinfo");
  private static final Pattern OCTAL_ESCAPE = Pattern.compile("\\\\([0-7]{3})");

  private final Path dir;

  public MountsUnder(Path dir) {
    this.dir = dir.toAbsolutePath().normalize();
  }

  /** Mount points at or below the directory, deepest first so they can be unmounted in order. */
  public List<Path> list() throws IOException {
    return Files.readAllLines(MOUNTINFO).stream()
        .map(line -> Path.of(unescape(line.split(" ")[4])))
        .filter(mountPoint -> mountPoint.startsWith(dir))
        .distinct()
        .sorted(Comparator.comparingInt(Path::getNameCount).reversed())
        .toList();
  }

  /**
   * Detaches every mount below the directory. Lazy (umount -l) because a mount still busy
   * from a dying shim must not keep the test's temp dir alive.
   */
  void unmountAll() throws IOException, InterruptedException {
    for (Path mountPoint : list()) {
      Process umount = new ProcessBuilder("umount", "-l", mountPoint.toString())
          .redirectErrorStream(true)
          .start();
      String output = new String(umount.getInputStream().readAllBytes());
      if (!umount.waitFor(30, TimeUnit.SECONDS) || umount.exitValue() != 0) {
        LOG.warn("umount -l {} failed: {}", mountPoint, output.strip());
      }
    }
  }

  /** mountinfo writes space, tab, newline and backslash as \ooo. */
  private static String unescape(String field) {
    Matcher escape = OCTAL_ESCAPE.matcher(field);
    return escape.replaceAll(m -> Matcher.quoteReplacement(
        String.valueOf((char) Integer.parseInt(m.group(1), 8))));
  }
}
