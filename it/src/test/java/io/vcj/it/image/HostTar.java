package io.vcj.it.image;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** GNU tar on the host, making archives that do not depend on who built them or when. */
final class HostTar {

  private HostTar() {
  }

  /** Archives {@code members} of {@code dir} into {@code tar}, owned by root, mtime 0, sorted. */
  static void create(Path dir, Path tar, List<String> members) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("tar", "--create", "--file", tar.toString(),
        "--directory", dir.toString(), "--owner=0", "--group=0", "--numeric-owner", "--mtime=@0",
        "--sort=name", "--format=posix", "--pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime"));
    command.addAll(members);
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    if (process.waitFor() != 0) {
      throw new IOException(String.join(" ", command) + " failed: " + output);
    }
  }
}
