package io.vcj.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The harness with a real shim (containerd's own runc shim): what shim tests build on. */
class RuncContainerIT {

  private Path busybox;

  @BeforeEach
  void needsContainerdAndBusybox() throws Exception {
    HostRequirements.assumeRootWithContainerd();
    busybox = HostRequirements.assumeStaticBusybox();
  }

  @Test
  void containerOutputComesBackThroughCtr() throws Exception {
    try (Containerd containerd = Containerd.start()) {
      Path rootfs = BusyboxRootfs.create(busybox, containerd.dir().resolve("rootfs"));

      CtrResult run = containerd.ctr("run", "--rm", "--rootfs", rootfs.toString(), "hello", "/bin/echo", "hi there");

      assertEquals("hi there", run.orThrow().stdout().strip());
    }
  }

  @Test
  void closeTearsDownARunningContainerItsShimAndCgroups() throws Exception {
    Path dir;
    ProcessHandle shim;
    ProcessHandle sleeper;
    try (Containerd containerd = Containerd.start()) {
      dir = containerd.dir();
      Path rootfs = BusyboxRootfs.create(busybox, dir.resolve("rootfs"));
      containerd.ctr("run", "-d", "--rootfs", rootfs.toString(), "sleeper", "/bin/sleep", "1000").orThrow();

      sleeper = ProcessHandle.of(taskPid(containerd, "sleeper")).orElseThrow();
      shim = new ProcessesMentioning(dir).list().stream()
          .filter(p -> p.info().command().orElse("").endsWith("containerd-shim-runc-v2"))
          .findFirst().orElseThrow();
      assertTrue(ProcessStates.isRunning(sleeper));
    }

    assertFalse(ProcessStates.isRunning(sleeper), "container process survived close");
    assertFalse(ProcessStates.isRunning(shim), "shim survived close");
    assertFalse(Files.exists(dir), dir + " still exists");
    assertFalse(Files.exists(Path.of("/sys/fs/cgroup/pids/vcj-it")), "runc cgroups left behind");
  }

  /** PID column of {@code ctr tasks ls}: TASK PID STATUS. */
  private static long taskPid(Containerd containerd, String id) throws Exception {
    List<String> row = containerd.ctr("tasks", "ls").orThrow().stdout().lines()
        .map(line -> List.of(line.trim().split("\\s+")))
        .filter(columns -> columns.getFirst().equals(id))
        .findFirst().orElseThrow(() -> new AssertionError("no task " + id));
    assertEquals("RUNNING", row.get(2));
    return Long.parseLong(row.get(1));
  }
}
