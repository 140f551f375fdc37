package io.vcj.it.shim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vcj.it.Await;
import io.vcj.it.CtrResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * One container in one VM, driven through its life with the real {@code ctr}: it runs the image's
 * own command (a counter that reports who and where it is), then is exec'd into, listed, measured,
 * paused and resumed, and finally stopped with SIGTERM. One VM boot for all of it (each costs
 * seconds of CPU under TCG), so the checks run in order on the same task.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LongRunningTaskIT {

  private static final String ID = "svc";
  /** Prints who and where it is, then counts until SIGTERM, which it answers with exit 42. */
  private static final String COUNTER = """
      echo "greeting=$GREETING"; echo "cwd=$(pwd)"; echo "uid=$(id -u) gid=$(id -g)"
      trap 'echo got TERM; exit 42' TERM
      i=0; while :; do i=$((i+1)); echo "tick $i"; sleep 0.2; done
      """;
  /** Longer than a few ticks even on a host loaded with other VMs: the counter must have moved. */
  private static final Duration STILL = Duration.ofSeconds(3);

  private VcjContainerd vcj;
  private Path log;

  @BeforeAll
  void startTheCounter() throws Exception {
    vcj = VcjContainerd.start(image -> image
        .env("GREETING=hello from the image")
        .workingDir("/srv/app")
        .user("1234:5678")
        .file("/srv/app/data.txt", "in the layer\n")
        .entrypoint("/bin/sh", "-c")
        .cmd(COUNTER));
    log = vcj.containerd().dir().resolve(ID + ".log");
    vcj.run(List.of("-d", "--log-uri", log.toUri().toString()), ID).orThrow();
  }

  @AfterAll
  void stopContainerd() throws Exception {
    if (vcj != null) {
      vcj.close();
    }
  }

  @Test
  @Order(1)
  void theImageConfigGivesCommandEnvWorkingDirAndUser() throws Exception {
    Await.until(VcjContainerd.PATIENCE, () -> ticks() > 0);

    assertEquals(List.of("greeting=hello from the image", "cwd=/srv/app", "uid=1234 gid=5678"),
        Files.readAllLines(log).subList(0, 3), "the container's first output");
  }

  @Test
  @Order(2)
  void execRunsInTheContainerAndReturnsItsExitCode() throws Exception {
    CtrResult cat = exec("cat", "sh", "-c", "cat data.txt; echo \"$GREETING\"; id -u");
    CtrResult failing = exec("fail", "sh", "-c", "exit 5");

    assertEquals("in the layer\nhello from the image\n1234\n", cat.orThrow().stdout());
    assertEquals(5, failing.exitCode(), failing.toString());
  }

  @Test
  @Order(3)
  void killSendsTheSignalToAnExec() throws Exception {
    Process sleeper = new ProcessBuilder(vcj.containerd().ctrCommandLine(
        "task", "exec", "--exec-id", "sleeper", ID, "sleep", "1000"))
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectErrorStream(true).start();
    try {
      // The exec exists once containerd accepts signals for it.
      Await.until(VcjContainerd.PATIENCE, () -> vcj.ctr("task", "kill", "-s", "SIGTERM", "--exec-id", "sleeper", ID).succeeded());

      assertTrue(sleeper.waitFor(VcjContainerd.PATIENCE.toSeconds(), TimeUnit.SECONDS), "ctr task exec still runs");
      assertEquals(128 + 15, sleeper.exitValue(), "a process ended by SIGTERM");
    } finally {
      sleeper.destroyForcibly();
    }
  }

  /** The guest's pids mean nothing on the host; as in Kata, the task's one process is its VM. */
  @Test
  @Order(4)
  void psListsTheVm() throws Exception {
    List<String> rows = vcj.ctr("task", "ps", ID).orThrow().stdout().lines().skip(1).toList();

    List<ProcessHandle> vm = vcj.qemus();
    assertEquals(1, vm.size(), "one QEMU for the pod");
    assertEquals(1, rows.size(), "ctr task ps: " + rows);
    assertEquals(Long.toString(vm.getFirst().pid()), rows.getFirst().split("\\s+")[0], "ctr task ps: " + rows);
  }

  @Test
  @Order(5)
  void metricsReportTheContainersCgroup() throws Exception {
    String metrics = vcj.ctr("task", "metrics", ID).orThrow().stdout();

    assertTrue(metric(metrics, "memory.usage_in_bytes") > 0, metrics);
    assertTrue(metric(metrics, "cpuacct.usage") > 0, "the counter has been counting:\n" + metrics);
    // busybox sh runs sleep in-process (a "nofork" applet): the counter may be the only process.
    assertTrue(metric(metrics, "pids.current") >= 1, metrics);
  }

  @Test
  @Order(6)
  void pauseStopsTheCounterAndResumeRestartsIt() throws Exception {
    awaitTicksAfter(ticks());

    vcj.ctr("task", "pause", ID).orThrow();
    assertEquals("PAUSED", status());
    Thread.sleep(1000); // output already on its way out of the VM lands
    long paused = ticks();
    Thread.sleep(STILL.toMillis());
    long stillPaused = ticks();
    vcj.ctr("task", "resume", ID).orThrow();

    assertEquals(paused, stillPaused, "the counter moved while paused");
    assertEquals("RUNNING", status());
    awaitTicksAfter(stillPaused);
  }

  @Test
  @Order(7)
  void sigtermEndsTheTaskWithTheExitItChose() throws Exception {
    vcj.ctr("task", "kill", "-s", "SIGTERM", ID).orThrow();
    Await.until(VcjContainerd.PATIENCE, () -> status().equals("STOPPED"));

    assertEquals("STOPPED", status());
    assertTrue(Files.readString(log).endsWith("got TERM\n"), "the trap ran: " + Files.readString(log));
    CtrResult delete = vcj.ctr("task", "delete", ID).orThrow();
    assertTrue(delete.stderr().contains("task " + ID + " exit with non-zero exit code 42"),
        "ctr task delete warns of the task's status: " + delete);
  }

  private CtrResult exec(String execId, String... command) throws Exception {
    List<String> args = new ArrayList<>(List.of("task", "exec", "--exec-id", execId, ID));
    args.addAll(List.of(command));
    return vcj.ctr(args.toArray(String[]::new));
  }

  private void awaitTicksAfter(long count) throws Exception {
    Await.until(VcjContainerd.PATIENCE, () -> ticks() > count);
    assertTrue(ticks() > count, "the counter is stuck at " + count);
  }

  /** The counter's last number so far, 0 before it started; a line still being written does not count. */
  private long ticks() throws Exception {
    if (!Files.exists(log)) {
      return 0;
    }
    String complete = Files.readString(log);
    return complete.substring(0, complete.lastIndexOf('\n') + 1).lines()
        .filter(line -> line.startsWith("tick "))
        .mapToLong(line -> Long.parseLong(line.substring("tick ".length())))
        .max().orElse(0);
  }

  /** The STATUS column of {@code ctr task ls} for the task. */
  private String status() throws Exception {
    return vcj.ctr("task", "ls").orThrow().stdout().lines()
        .filter(line -> line.startsWith(ID + " "))
        .map(line -> line.split("\\s+")[2])
        .findFirst().orElse("");
  }

  /** A value of {@code ctr task metrics}' table ({@code METRIC  VALUE} rows). */
  private static long metric(String table, String name) {
    return table.lines()
        .map(line -> line.split("\\s+"))
        .filter(cells -> cells[0].equals(name))
        .mapToLong(cells -> Long.parseLong(cells[1]))
        .findFirst().orElseThrow(() -> new AssertionError("no " + name + " in:\n" + table));
  }
}
