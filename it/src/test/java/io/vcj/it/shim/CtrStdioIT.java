package io.vcj.it.shim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vcj.it.HostRequirements;
import io.vcj.it.Sha256;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code ctr run} with the caller's own stdio: a terminal, and a stream piped in. ctr relays both
 * through containerd's FIFOs to the shim, which carries them to the process in the VM.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CtrStdioIT {

  /** Through the VM's agent connection under TCG on a loaded host; patience, not a measurement. */
  private static final Duration STREAM_PATIENCE = Duration.ofMinutes(5);
  private static final int PIPED_BYTES = 10 << 20;
  /** Until ctr's first resize lands; busybox stty prints nothing (and exits 0) for 0 rows. Bounded: ~30 s. */
  private static final String AWAIT_SIZE =
      "i=0; while [ $i -lt 300 ] && [ -z \"$(stty size 2>/dev/null)\" ]; do i=$((i+1)); sleep 0.1; done; ";

  private VcjContainerd vcj;

  @BeforeAll
  void containerdWithOurShim() throws Exception {
    vcj = VcjContainerd.start();
  }

  @AfterAll
  void stopContainerd() throws Exception {
    if (vcj != null) {
      vcj.close();
    }
  }

  /**
   * {@code script} gives ctr a pty of 33x111; ctr makes the container's terminal that size. ctr
   * sends the size only after the start (as it does for runc), so the container waits for it.
   */
  @Test
  void runWithATerminalGivesTheContainerAPtyOfTheCallersSize() throws Exception {
    Path script = HostRequirements.onPath("script").orElseThrow(
        () -> new IllegalStateException("`script` (bsdutils) is not on PATH"));
    String ctr = shellWords(vcj.containerd().ctrCommandLine(
        vcj.runArgs(List.of("--rm", "-t"), "tty", "sh", "-c", AWAIT_SIZE + "tty; stty size").toArray(String[]::new)));
    Path out = vcj.containerd().dir().resolve("tty.out");

    // stdin stays an open pipe: at EOF script would hang up the terminal under ctr.
    Process terminal = new ProcessBuilder(script.toString(), "--quiet", "--return", "--command",
        "stty rows 33 cols 111; exec " + ctr, "/dev/null")
        .redirectOutput(out.toFile()).redirectErrorStream(true).start();
    try {
      assertTrue(terminal.waitFor(STREAM_PATIENCE.toSeconds(), TimeUnit.SECONDS), "ctr run -t still runs");
    } finally {
      terminal.destroyForcibly();
    }

    // A terminal ends lines with \r\n, which lines() would split twice.
    List<String> lines = Files.readString(out).replace("\r", "").lines().toList();
    assertEquals(0, terminal.exitValue(), "ctr run -t: " + lines);
    assertTrue(lines.size() >= 2 && lines.get(0).matches("/dev/pts/\\d+"), "tty: " + lines);
    assertEquals("33 111", lines.get(1), "stty size: " + lines);
  }

  @Test
  void stdinPipedThroughRunComesBackByteForByte() throws Exception {
    Path in = vcj.containerd().dir().resolve("stdin.bin");
    Path out = vcj.containerd().dir().resolve("stdout.bin");
    byte[] data = new byte[PIPED_BYTES];
    new Random(4).nextBytes(data);
    Files.write(in, data);

    Process cat = new ProcessBuilder(vcj.containerd().ctrCommandLine(
        vcj.runArgs(List.of("--rm"), "cat", "cat").toArray(String[]::new)))
        .redirectInput(in.toFile()).redirectOutput(out.toFile())
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    try {
      assertTrue(cat.waitFor(STREAM_PATIENCE.toSeconds(), TimeUnit.SECONDS), "ctr run cat still runs");
    } finally {
      cat.destroyForcibly();
    }

    assertEquals(0, cat.exitValue());
    assertEquals(PIPED_BYTES, Files.size(out));
    assertEquals(Sha256.of(in), Sha256.of(out), "what came out differs from what went in");
  }

  private static String shellWords(List<String> words) {
    return words.stream().map(ShimOnPath::quoted).collect(Collectors.joining(" "));
  }
}
