package io.vcj.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Processes whose command line names a given directory. containerd starts shims with
 * {@code -address <our socket>} and the shims detach into their own process group, so after
 * containerd is gone this is how a test finds the shims (and, below them, VMs and containers) it
 * caused.
 */
public final class ProcessesMentioning {

  private static final Logger LOG = LogManager.getLogger(ProcessesMentioning.class);

  private final List<String> needles;

  ProcessesMentioning(Path dir) {
    this(dir.toAbsolutePath().normalize().toString());
  }

  /** Processes whose command line (read whole from /proc: a JVM's may be long) contains every word. */
  public ProcessesMentioning(String... words) {
    this.needles = List.of(words);
  }

  public List<ProcessHandle> list() {
    long self = ProcessHandle.current().pid();
    return ProcessHandle.allProcesses()
        .filter(process -> process.pid() != self)
        .filter(process -> needles.stream().allMatch(commandLine(process)::contains))
        .toList();
  }

  /** SIGKILLs each match and everything below it, children first so none re-parent and escape. */
  void killAll() throws InterruptedException {
    for (ProcessHandle process : list()) {
      LOG.info("killing leftover process {}: {}", process.pid(), commandLine(process));
      List<ProcessHandle> tree = process.descendants().toList();
      tree.forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      for (ProcessHandle each : tree) {
        awaitKilled(each);
      }
      awaitKilled(process);
    }
  }

  private static void awaitKilled(ProcessHandle process) throws InterruptedException {
    if (!ProcessStates.awaitStopped(process, Duration.ofSeconds(30))) {
      LOG.warn("process {} still runs after SIGKILL", process.pid());
    }
  }

  private static String commandLine(ProcessHandle process) {
    try {
      byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(process.pid()), "cmdline"));
      return new String(raw, StandardCharsets.UTF_8).replace('\0', ' ');
    } catch (IOException gone) {
      return "";
    }
  }
}
