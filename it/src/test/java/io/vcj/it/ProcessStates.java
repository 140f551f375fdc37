package io.vcj.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Whether a process still runs. Shims detach, so their exit is reaped by whatever init the host
 * has; until then the kernel keeps a zombie that {@link ProcessHandle#isAlive()} still counts.
 */
public final class ProcessStates {

  private ProcessStates() {
  }

  /** True unless the process is gone or a zombie. */
  public static boolean isRunning(ProcessHandle process) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
      // The state letter follows the parenthesised command name, which may itself contain ")".
      char state = stat.charAt(stat.lastIndexOf(')') + 2);
      return state != 'Z' && state != 'X';
    } catch (IOException gone) {
      return false;
    }
  }

  /** Waits until the process stops running; false if it still runs after {@code patience}. */
  public static boolean awaitStopped(ProcessHandle process, Duration patience) throws InterruptedException {
    long deadline = System.nanoTime() + patience.toNanos();
    while (isRunning(process)) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(10);
    }
    return true;
  }
}
