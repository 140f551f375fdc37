package io.vcj.it.shim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vcj.it.Await;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A task that prints nothing for a while still answers. The guest agent long-polls the task's
 * stdout and stderr; blocked on virtual threads, those reads held every carrier the agent had
 * once the JDK retired the extra carrier it had added for them (after 30 s idle), and exec and
 * kill then went unanswered until their deadline, for as long as the pod lived.
 */
class QuietTaskIT {

  private static final String ID = "quiet";
  /** Longer than the JDK keeps an idle extra carrier of virtual threads (30 s), with room for a slow guest. */
  private static final Duration QUIET = Duration.ofSeconds(40);

  @Test
  void aTaskSilentForHalfAMinuteStillTakesExecAndKill() throws Exception {
    try (VcjContainerd vcj = VcjContainerd.start()) {
      vcj.run(List.of("-d"), ID, "sleep", "600").orThrow();
      Thread.sleep(QUIET.toMillis());

      assertEquals("still here\n", vcj.ctr("task", "exec", "--exec-id", "late", ID, "echo", "still here")
          .orThrow().stdout());
      vcj.ctr("task", "kill", "-s", "SIGKILL", ID).orThrow();
      // A task that is still running cannot be deleted.
      Await.until(VcjContainerd.PATIENCE, () -> vcj.ctr("task", "delete", ID).succeeded());

      assertEquals("", vcj.ctr("task", "ls", "-q").orThrow().stdout(), "the killed task is gone");
    }
  }
}
