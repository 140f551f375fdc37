package io.vcj.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * CPU time from /proc, the number a benchmark on a shared host can compare when wall times follow
 * the load: a whole process's, or that of its threads with a given name (QEMU names its vCPU
 * threads "CPU 0/TCG" when started with debug-threads=on).
 */
public final class ProcessCpu {

  private static final long CLOCK_TICKS_PER_SECOND = 100;

  private ProcessCpu() {
  }

  /** User plus system time of the whole process, threads that already ended included. */
  public static long millis(long pid) throws IOException {
    return millisOf(Path.of("/proc", Long.toString(pid), "stat"));
  }

  /** User plus system time of the process's live threads whose name matches. */
  public static long threadMillis(long pid, Predicate<String> name) throws IOException {
    try (Stream<Path> threads = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
      long sum = 0;
      for (Path thread : threads.toList()) {
        if (name.test(Files.readString(thread.resolve("comm")).strip())) {
          sum += millisOf(thread.resolve("stat"));
        }
      }
      return sum;
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  private static long millisOf(Path stat) throws IOException {
    String line = Files.readString(stat);
    // The name in parentheses may hold spaces; fields count from after it (state is the first).
    String[] fields = line.substring(line.lastIndexOf(')') + 2).split(" ");
    return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 1000 / CLOCK_TICKS_PER_SECOND;
  }
}
