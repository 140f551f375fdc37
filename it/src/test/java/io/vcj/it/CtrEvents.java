package io.vcj.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A running {@code ctr events}: every line it prints ({@code <timestamp> <namespace> <topic>
 * <event as JSON>}) is kept, and tests wait for the line they expect.
 */
public final class CtrEvents implements AutoCloseable {

  private final Process process;
  private final List<String> lines = new ArrayList<>();
  private boolean ended;

  private CtrEvents(Process process) {
    this.process = process;
    Thread.ofVirtual().name("ctr-events-" + process.pid()).start(this::collect);
  }

  static CtrEvents start(List<String> command, Path stderrLog) throws IOException {
    Process process = new ProcessBuilder(command)
        .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
        .redirectError(ProcessBuilder.Redirect.appendTo(stderrLog.toFile()))
        .start();
    return new CtrEvents(process);
  }

  /**
   * The first line so far or to come that matches, or empty if none came within the patience
   * given (or ctr exited). The wait is a guard against hanging, not a measurement.
   */
  public Optional<String> await(Predicate<String> matches, Duration patience) throws InterruptedException {
    long deadline = System.nanoTime() + patience.toNanos();
    synchronized (lines) {
      int seen = 0;
      while (true) {
        for (; seen < lines.size(); seen++) {
          if (matches.test(lines.get(seen))) {
            return Optional.of(lines.get(seen));
          }
        }
        long left = deadline - System.nanoTime();
        if (ended || left <= 0) {
          return Optional.empty();
        }
        TimeUnit.NANOSECONDS.timedWait(lines, left);
      }
    }
  }

  /** Like {@link #await}, but a missing line is an error that lists what did arrive. */
  public String awaitOrThrow(Predicate<String> matches, Duration patience) throws InterruptedException {
    return await(matches, patience).orElseThrow(() -> new AssertionError(
        "no matching event line from `ctr events` within " + patience + "; got:\n" + String.join("\n", lines())));
  }

  public List<String> lines() {
    synchronized (lines) {
      return List.copyOf(lines);
    }
  }

  private void collect() {
    try (BufferedReader out = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        synchronized (lines) {
          lines.add(line);
          lines.notifyAll();
        }
      }
    } catch (IOException e) {
      if (process.isAlive()) {
        throw new UncheckedIOException(e);
      }
    } finally {
      synchronized (lines) {
        ended = true;
        lines.notifyAll();
      }
    }
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }
}
