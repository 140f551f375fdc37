package io.vcj.it.shim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vcj.it.Await;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A task that prints nothing for a while, next to an exec that reads none of the stdin it is
 * sent, still answers. The guest agent long-polls the task's stdout and stderr and writes what
 * ctr sends to the exec's stdin; blocked on virtual threads, those reads and the write held every
 * carrier the agent had once the JDK retired the extra carrier it had added for them (after 30 s
 * idle), and exec and kill then went unanswered until their deadline, for as long as the pod lived.
 */
class QuietTaskIT {

  private static final String ID = "quiet";
  /** Longer than the JDK keeps an idle extra carrier of virtual threads (30 s), with room for a slow guest. */
  private static final Duration QUIET = Duration.ofSeconds(40);
  /** Several times a pipe's 64 KiB, so the agent's write to the exec's stdin blocks. */
  private static final int UNREAD_STDIN_BYTES = 1 << 20;

  @Test
  void aTaskSilentForHalfAMinuteStillTakesExecAndKill() throws Exception {
    try (VcjContainerd vcj = VcjContainerd.start()) {
      vcj.run(List.of("-d"), ID, "sleep", "600").orThrow();
      Path input = vcj.containerd().dir().resolve("unread-stdin");
      Files.write(input, new byte[UNREAD_STDIN_BYTES]);
      Process unreadStdin = new ProcessBuilder(vcj.containerd().ctrCommandLine(
          "task", "exec", "--exec-id", "unread", ID, "sleep", "600"))
          .redirectInput(input.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .redirectError(ProcessBuilder.Redirect.DISCARD).start();
      try {
        Thread.sleep(QUIET.toMillis());
        assertTrue(unreadStdin.isAlive(), () -> "ctr task exec ended early: status " + unreadStdin.exitValue());

        assertEquals("still here\n", vcj.ctr("task", "exec", "--exec-id", "late", ID, "echo", "still here")
            .orThrow().stdout());
        vcj.ctr("task", "kill", "-s", "SIGKILL", ID).orThrow();
        // A task that is still running cannot be deleted.
        Await.until(VcjContainerd.PATIENCE, () -> vcj.ctr("task", "delete", ID).succeeded());
      } finally {
        unreadStdin.destroyForcibly();
      }

      assertEquals("", vcj.ctr("task", "ls", "-q").orThrow().stdout(), "the killed task is gone");
    }
  }
}
