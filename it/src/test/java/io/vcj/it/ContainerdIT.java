package io.vcj.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ContainerdIT {

  @BeforeEach
  void needsContainerd() {
    HostRequirements.assumeRootWithContainerd();
  }

  @Test
  void ctrTalksToOurPrivateServer() throws Exception {
    try (Containerd containerd = Containerd.start()) {
      CtrResult version = containerd.ctr("version").orThrow();

      assertTrue(version.stdout().contains("Server:"), version::toString);
      assertTrue(version.stdout().contains("1.6"), version::toString);
      assertTrue(Files.isDirectory(containerd.dir().resolve("root")), "containerd's root is inside the temp dir");
    }
  }

  @Test
  void namespaceCreatedWithCtrIsListedAndAnnounced() throws Exception {
    try (Containerd containerd = Containerd.start()) {
      CtrEvents events = containerd.events();

      containerd.ctr("namespaces", "create", "x").orThrow();

      assertTrue(containerd.ctr("namespaces", "ls", "-q").orThrow().stdout().lines().anyMatch("x"::equals));
      String line = events.awaitOrThrow(l -> l.contains("/namespaces/create") && l.contains("\"x\""),
          Duration.ofSeconds(30));
      assertTrue(line.contains(containerd.namespace()), line);
    }
  }

  @Test
  void failingCtrCommandReportsExitCodeAndError() throws Exception {
    try (Containerd containerd = Containerd.start()) {
      CtrResult missing = containerd.ctr("containers", "info", "no-such-container");

      assertFalse(missing.succeeded());
      assertTrue(missing.stderr().contains("not found"), missing::toString);
    }
  }

  @Test
  void closeLeavesNothingBehind() throws Exception {
    Path dir;
    ProcessHandle daemon;
    try (Containerd containerd = Containerd.start()) {
      dir = containerd.dir();
      daemon = new ProcessesMentioning(dir).list().stream()
          .filter(p -> p.info().command().orElse("").endsWith("containerd"))
          .findFirst().orElseThrow();
    }

    assertFalse(Files.exists(dir), dir + " still exists");
    assertFalse(daemon.isAlive(), "containerd still running");
    assertEquals(0, new ProcessesMentioning(dir).list().size());
  }

  @Test
  void closeDetachesMountsAndKillsProcessesLeftInItsDir() throws Exception {
    Path dir;
    Process leftover;
    ProcessHandle grandchild;
    try (Containerd containerd = Containerd.start()) {
      dir = containerd.dir();
      Path mountPoint = Files.createDirectories(dir.resolve("state/leftover"));
      assertEquals(0, new ProcessBuilder("mount", "-t", "tmpfs", "tmpfs", mountPoint.toString())
          .inheritIO().start().waitFor());
      // Like a shim: names the dir on its command line and has a child that does not.
      leftover = new ProcessBuilder("sh", "-c", "sleep 1000 & wait", dir.toString()).start();
      grandchild = awaitChild(leftover);
    }

    assertFalse(Files.exists(dir), dir + " still exists");
    assertFalse(leftover.isAlive(), "process naming the dir still running");
    assertFalse(ProcessStates.isRunning(grandchild), "its child still running");
    assertTrue(Files.readString(Path.of("/proc/self/mountinfo")).lines().noneMatch(l -> l.contains(dir.toString())));
  }

  private static ProcessHandle awaitChild(Process parent) throws InterruptedException {
    while (parent.children().findAny().isEmpty()) {
      assertTrue(parent.isAlive(), "sh exited early");
      Thread.sleep(10);
    }
    return parent.children().findFirst().orElseThrow();
  }
}
