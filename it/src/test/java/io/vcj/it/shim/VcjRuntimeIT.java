package io.vcj.it.shim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vcj.it.CtrEvents;
import io.vcj.it.Await;
import io.vcj.it.CtrResult;
import io.vcj.it.ProcessStates;
import io.vcj.it.ProcessesMentioning;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code ctr run --runtime io.containerd.vcj.v2 IMAGE}: containerd starts our shim binary, which
 * boots a QEMU VM (TCG) from the build-guest image and runs the container there with the guest
 * agent. The image is a busybox OCI tar built by the test and imported with {@code ctr}.
 */
class VcjRuntimeIT {

  private VcjContainerd vcj;

  @BeforeEach
  void containerdWithOurShim() throws Exception {
    vcj = VcjContainerd.start();
  }

  @AfterEach
  void stopContainerd() throws Exception {
    if (vcj != null) {
      vcj.close();
    }
  }

  @Test
  void outputAndTaskEventsComeBackThroughCtr() throws Exception {
    CtrEvents events = vcj.containerd().events();

    CtrResult run = run("hello", "/bin/echo", "hello");

    assertEquals("hello", run.orThrow().stdout().strip());
    List<String> topics = List.of("/tasks/create", "/tasks/start", "/tasks/exit", "/tasks/delete");
    for (String topic : topics) {
      events.awaitOrThrow(line -> line.contains(topic) && line.contains("\"hello\""), Duration.ofSeconds(30));
    }
    assertEquals(topics, events.lines().stream()
        .filter(line -> line.contains("\"hello\"") && line.contains(" /tasks/"))
        .map(VcjRuntimeIT::topic)
        .toList());
  }

  @Test
  void theContainerRunsOnTheGuestKernel() throws Exception {
    CtrResult run = run("uname", "/bin/busybox", "uname", "-r");

    assertEquals(vcj.guest().kernelRelease(), run.orThrow().stdout().strip());
  }

  @Test
  void theContainersExitCodeIsCtrs() throws Exception {
    CtrResult run = run("exit3", "/bin/sh", "-c", "exit 3");

    assertEquals(3, run.exitCode(), run.toString());
  }

  @Test
  void anOomKillInTheContainerIsATaskOomEvent() throws Exception {
    CtrEvents events = vcj.containerd().events();
    // dd's 64 MiB buffer cannot fit under a 32 MiB limit: the guest's OOM killer ends dd, the shell goes on.
    vcj.run(List.of("-d", "--memory-limit=" + (32 << 20)), "hog", "/bin/sh", "-c",
        "dd if=/dev/zero of=/dev/null bs=64M count=1; sleep 1000").orThrow();

    String oom = events.awaitOrThrow(line -> line.contains("/tasks/oom"), VcjContainerd.PATIENCE);

    assertTrue(oom.contains("\"container_id\":\"hog\""), oom);
  }

  @Test
  void aBrokenConfigFailsTheRunNamingTheProblem() throws Exception {
    vcj.writeConfig("default_memory = \"lots\"\n");

    CtrResult run = run("broken", "/bin/echo", "never");

    assertFalse(run.succeeded(), run.toString());
    assertTrue(run.stderr().contains(vcj.config() + ":5: [hypervisor.qemu] default_memory: must be an integer"),
        run.toString());
  }

  @Test
  void containerdCleansUpAfterAKilledShim() throws Exception {
    vcj.run(List.of("-d"), "sleeper", "/bin/sleep", "1000").orThrow();
    ProcessHandle shim = new ProcessesMentioning("io.vcj.shim.ShimMain", "-id sleeper").list().getFirst();
    List<ProcessHandle> vm = vcj.qemus();
    assertEquals(1, vm.size(), "one QEMU for the pod");

    shim.destroyForcibly();
    Await.until(VcjContainerd.PATIENCE, () -> !ProcessStates.isRunning(vm.getFirst()) && !Files.exists(vcj.sandboxState("sleeper"))
        && tasks().isEmpty() && !Files.exists(vcj.shimSocket("sleeper")));

    assertFalse(ProcessStates.isRunning(vm.getFirst()), "QEMU still runs after its shim was killed");
    assertNothingLeftOf("sleeper");
    assertEquals("", tasks());
  }

  @Test
  void aKilledVmEndsTheTaskAndCtrSeesIt() throws Exception {
    vcj.run(List.of("-d"), "doomed", "/bin/sleep", "1000").orThrow();
    ProcessHandle shim = new ProcessesMentioning("io.vcj.shim.ShimMain", "-id doomed").list().getFirst();
    List<ProcessHandle> vm = vcj.qemus();
    assertEquals(1, vm.size(), "one QEMU for the pod");

    vm.getFirst().destroyForcibly();
    Await.until(VcjContainerd.PATIENCE, () -> tasks("doomed").contains("STOPPED"));

    assertTrue(tasks("doomed").contains("STOPPED"), "ctr task ls after QEMU was killed: " + tasks("doomed"));
    CtrResult delete = vcj.ctr("task", "delete", "doomed").orThrow();
    assertTrue(delete.stderr().contains("task doomed exit with non-zero exit code"),
        "a VM killed under the task is no clean exit: " + delete);
    vcj.ctr("container", "delete", "doomed").orThrow();
    Await.until(VcjContainerd.PATIENCE, () -> !ProcessStates.isRunning(shim) && !Files.exists(vcj.shimSocket("doomed")));
    assertFalse(ProcessStates.isRunning(shim), "the shim outlives its deleted task");
    assertNothingLeftOf("doomed");
  }

  private void assertNothingLeftOf(String id) {
    assertEquals(List.of(), vcj.qemus(), "QEMU left behind");
    assertFalse(Files.exists(vcj.sandboxState(id)), "sandbox state left behind in " + vcj.sandboxState(id));
    assertFalse(Files.exists(vcj.shimSocket(id)), "the shim's socket is left behind");
  }

  private CtrResult run(String id, String... command) throws Exception {
    return vcj.run(List.of("--rm"), id, command);
  }

  private String tasks() throws Exception {
    return vcj.ctr("tasks", "ls", "-q").orThrow().stdout().strip();
  }

  /** The {@code ctr task ls} row of {@code id}, e.g. {@code doomed  1234  STOPPED}. */
  private String tasks(String id) throws Exception {
    return vcj.ctr("tasks", "ls").orThrow().stdout().lines()
        .filter(line -> line.startsWith(id + " "))
        .findFirst().orElse("");
  }

  /** A {@code ctr events} line is {@code <date> <time> <zone> <zone name> <namespace> <topic> <JSON>}. */
  private static String topic(String line) {
    return List.of(line.split(" ")).stream().filter(word -> word.startsWith("/tasks/")).findFirst().orElseThrow();
  }
}
