package io.vcj.it;

import java.time.Duration;

/** Polls until a condition holds or the patience runs out; the caller then asserts what it sees. */
public final class Await {

  private Await() {
  }

  public static void until(Duration patience, Condition done) throws Exception {
    long deadline = System.nanoTime() + patience.toNanos();
    while (!done.holds() && System.nanoTime() < deadline) {
      Thread.sleep(200);
    }
  }

  @FunctionalInterface
  public interface Condition {
    boolean holds() throws Exception;
  }
}
