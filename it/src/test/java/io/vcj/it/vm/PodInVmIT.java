package io.vcj.it.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vcj.vc.ExitStatus;
import io.vcj.vc.ProcessList;
import io.vcj.vc.ProcessListOptions;
import io.vcj.vc.SandboxStatus;
import io.vcj.vc.State;
import io.vcj.vc.VcException;
import io.vcj.vc.VirtContainers;
import io.vcj.vc.config.Cmd;
import io.vcj.vc.config.SandboxConfig;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * One pod in a real VM (QEMU under TCG, the guest image from scripts/build-guest, the kata agent
 * client), driven through VirtContainers. The VM boots once; the tests run in order on it and
 * the last one tears it down. Four containers share it: two that print and exit, a counter that
 * runs until stopped, and one that traps SIGTERM.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(600)
class PodInVmIT {
    private static final Logger LOG = LogManager.getLogger(PodInVmIT.class);
    private static final String POD = "pod";
    private static final int SIGTERM = 15;
    private static final int SIGKILL = 9;
    /** Generous: everything in the guest is emulated on a shared host. */
    private static final Duration PROGRESS_DEADLINE = Duration.ofSeconds(90);

    private GuestImage image;
    private VmPods pods;
    private SandboxConfig config;
    private final AtomicInteger counted = new AtomicInteger();

    @BeforeAll
    void bootPod() throws Exception {
        image = GuestImage.get();
        pods = new VmPods();
        config = VmPods.sandbox(POD, VmPods.hypervisor(image.kernel(), image.initrd(), VmPods.QEMU_BINARY))
                .container(pods.container("hello", "echo", "hello"))
                .container(pods.container("kernel", "/bin/busybox", "uname", "-r"))
                .container(pods.container("counter", "sh", "-c", "i=0; while true; do i=$((i+1)); echo $i; sleep 0.2; done"))
                .container(pods.container("trapper", "sh", "-c", "trap 'exit 42' TERM; while true; do sleep 0.2; done"))
                .build();
        long start = System.nanoTime();
        pods.vc.runSandbox(config);
        LOG.info("runSandbox with 4 containers took {} ms", (System.nanoTime() - start) / 1_000_000);
    }

    @AfterAll
    void tearDown() throws IOException {
        if (pods != null) {
            pods.close();
        }
    }

    @Test
    @Order(1)
    void echoHelloPrintsHello() throws Exception {
        assertEquals("hello\n", VmPods.stdout(pods.vc.processIo(POD, "hello", "")));
        assertEquals(0, pods.vc.waitProcess(POD, "hello", "").code());
    }

    @Test
    @Order(2)
    void containersRunOnTheGuestKernel() throws Exception {
        String release = VmPods.stdout(pods.vc.processIo(POD, "kernel", "")).strip();
        assertEquals(image.kernelRelease(), release);
        assertNotEquals(Files.readString(Path.of("/proc/sys/kernel/osrelease")).strip(), release);
    }

    @Test
    @Order(3)
    void allContainersShareTheSandbox() {
        SandboxStatus status = pods.vc.statusSandbox(POD);
        assertEquals(List.of("counter", "hello", "kernel", "trapper"),
                status.containers().stream().map(c -> c.id()).sorted().toList());
        assertEquals(1, status.vmPids().size(), "one VM for the pod: " + status.vmPids());
    }

    @Test
    @Order(4)
    void execRunsInARunningContainer() throws Exception {
        var process = pods.vc.enterContainer(POD, "counter", Cmd.of("sh", "-c", "echo exec says hi; exit 7"));
        assertEquals("exec says hi\n", VmPods.stdout(pods.vc.processIo(POD, "counter", process.token())));
        assertEquals(7, pods.vc.waitProcess(POD, "counter", process.token()).code());
    }

    @Test
    @Order(5)
    void signalsReachTheirProcessAndItsExitIsReported() {
        pods.vc.killContainer(POD, "trapper", SIGTERM, false);
        assertEquals(42, pods.vc.waitProcess(POD, "trapper", "").code(), "the trap's exit status");

        var sleeper = pods.vc.enterContainer(POD, "counter", Cmd.of("sleep", "1000"));
        pods.vc.signalProcess(POD, "counter", sleeper.token(), SIGKILL, false);
        assertEquals(128 + SIGKILL, pods.vc.waitProcess(POD, "counter", sleeper.token()).code());
        assertEquals(State.RUNNING, pods.vc.statusContainer(POD, "counter").state(), "only the exec was killed");
    }

    @Test
    @Order(6)
    void pauseStopsTheCounterAndResumeLetsItGoOn() throws Exception {
        Thread.startVirtualThread(this::countLines);
        awaitCount(3);

        pods.vc.pauseContainer(POD, "counter");
        assertEquals(State.PAUSED, pods.vc.statusContainer(POD, "counter").state());
        Thread.sleep(1000); // a line on its way when the freeze hit may still arrive
        int frozen = counted.get();
        Thread.sleep(3000);
        assertEquals(frozen, counted.get(), "the counter went on while paused");

        pods.vc.resumeContainer(POD, "counter");
        assertEquals(State.RUNNING, pods.vc.statusContainer(POD, "counter").state());
        awaitCount(frozen + 3);
    }

    private void countLines() {
        try (var lines = new BufferedReader(new InputStreamReader(
                pods.vc.processIo(POD, "counter", "").stdout(), StandardCharsets.UTF_8))) {
            while (lines.readLine() != null) {
                counted.incrementAndGet();
            }
        } catch (IOException | RuntimeException e) {
            // the stream reads the agent directly: its failures come as they are, not as VcExceptions
            LOG.info("counter output ended: {}", e.toString());
        }
    }

    private void awaitCount(int atLeast) throws InterruptedException {
        long deadline = System.nanoTime() + PROGRESS_DEADLINE.toNanos();
        while (counted.get() < atLeast) {
            assertTrue(System.nanoTime() < deadline, "the counter printed " + counted.get() + " lines, expected "
                    + atLeast + " within " + PROGRESS_DEADLINE);
            Thread.sleep(100);
        }
    }

    @Test
    @Order(7)
    void aSecondInstanceListsAndInspectsThePod() {
        try (VirtContainers other = VmPods.open(pods.root)) {
            SandboxStatus status = other.listSandbox().stream().filter(s -> s.id().equals(POD)).findFirst().orElseThrow();
            assertEquals(State.RUNNING, status.state());
            assertEquals(State.RUNNING, other.statusContainer(POD, "counter").state());
            ExitStatus hello = other.statusContainer(POD, "hello").exitStatus();
            assertEquals(State.STOPPED, other.statusContainer(POD, "hello").state());
            assertEquals(0, hello.code());
            assertEquals(42, other.statusContainer(POD, "trapper").exitStatus().code());
        }
    }

    @Test
    @Order(8)
    void theProcessListOfARunningContainerComesFromTheGuest() {
        ProcessList counter = pods.vc.processListContainer(POD, "counter",
                new ProcessListOptions(ProcessListOptions.Format.TABLE));

        assertFalse(counter.pids().isEmpty(), "the counter's shell at least");
        assertTrue(counter.rendered().startsWith("PID\n" + counter.pids().getFirst()), counter.rendered());
        assertThrows(VcException.FailedPrecondition.class, () -> pods.vc.processListContainer(POD, "hello",
                new ProcessListOptions(ProcessListOptions.Format.JSON)), "hello has exited");
    }

    @Test
    @Order(9)
    void aSecondSandboxWithTheSameIdIsRefusedWithoutAVm() {
        List<Long> vms = pods.vc.statusSandbox(POD).vmPids();
        VcException.AlreadyExists e = assertThrows(VcException.AlreadyExists.class, () -> pods.vc.runSandbox(config));
        assertTrue(e.getMessage().contains(POD), e.getMessage());
        assertEquals(vms, pods.vc.statusSandbox(POD).vmPids());
        assertEquals(1, qemusUnder(pods.root).count(), "only the pod's own QEMU runs");
    }

    @Test
    @Order(10)
    void stopAndDeleteLeaveNothing() throws Exception {
        List<Long> vms = pods.vc.statusSandbox(POD).vmPids();
        pods.vc.stopSandbox(POD);
        pods.vc.deleteSandbox(POD);

        for (long pid : vms) {
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "QEMU " + pid + " still runs");
        }
        assertEquals(0, qemusUnder(pods.root).count());
        assertFalse(Files.exists(pods.root.resolve(POD)), "the sandbox's state and run directory are gone");
        assertEquals(List.of(), mountsUnder(pods.dir));
        assertEquals(List.of(), pods.vc.listSandbox());
    }

    static Stream<ProcessHandle> qemusUnder(Path root) {
        return ProcessHandle.allProcesses().filter(p -> p.info().commandLine()
                .map(cmd -> cmd.contains("qemu-system") && cmd.contains(root.toString())).orElse(false));
    }

    static List<String> mountsUnder(Path dir) throws IOException {
        return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
                .map(line -> line.split(" ")[4])
                .filter(mountPoint -> mountPoint.startsWith(dir.toString()))
                .toList();
    }
}
