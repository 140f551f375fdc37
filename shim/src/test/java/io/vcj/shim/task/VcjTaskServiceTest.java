package io.vcj.shim.task;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import io.vcj.shim.proto.events.Envelope;
import io.vcj.shim.proto.events.TaskExit;
import io.vcj.shim.proto.events.TaskOOM;
import io.vcj.shim.proto.task.CheckpointTaskRequest;
import io.vcj.shim.proto.task.CloseIORequest;
import io.vcj.shim.proto.task.ConnectRequest;
import io.vcj.shim.proto.task.CreateTaskRequest;
import io.vcj.shim.proto.task.DeleteRequest;
import io.vcj.shim.proto.task.DeleteResponse;
import io.vcj.shim.proto.task.ExecProcessRequest;
import io.vcj.shim.proto.task.KillRequest;
import io.vcj.shim.proto.task.PauseRequest;
import io.vcj.shim.proto.task.PidsRequest;
import io.vcj.shim.proto.task.ResizePtyRequest;
import io.vcj.shim.proto.task.ResumeRequest;
import io.vcj.shim.proto.task.ShutdownRequest;
import io.vcj.shim.proto.task.StartRequest;
import io.vcj.shim.proto.task.StateRequest;
import io.vcj.shim.proto.task.StatsRequest;
import io.vcj.shim.proto.task.UpdateTaskRequest;
import io.vcj.shim.proto.task.WaitRequest;
import io.vcj.shim.proto.types.Status;
import io.vcj.ttrpc.StatusCode;
import io.vcj.ttrpc.TtrpcException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ExecutionException;

@Timeout(120)
class VcjTaskServiceTest {
    private static final String LINUX_RESOURCES = "types.containerd.io/opencontainers/runtime-spec/1/LinuxResources";
    private static final String PROCESS = "types.containerd.io/opencontainers/runtime-spec/1/Process";

    @TempDir
    Path tmp;
    ShimFixture shim;

    @BeforeEach
    void start() throws IOException {
        shim = new ShimFixture(tmp);
    }

    @AfterEach
    void stop() throws Exception {
        shim.close();
        for (String mountPoint : mountPointsUnder(tmp.toRealPath())) {
            new ProcessBuilder("umount", "--lazy", mountPoint).inheritIO().start().waitFor();
        }
    }

    @Test
    void runsAContainerWithItsOutputThroughTheFifosAndReportsItsExit() throws Exception {
        Path stdout = shim.fifo("stdout");
        Path stderr = shim.fifo("stderr");
        Path bundle = shim.bundle("c1", "echo", "hello", "world");
        shim.task.create(create("c1", bundle)
                .setStdout(stdout.toString()).setStderr(stderr.toString()).build());
        CompletableFuture<byte[]> out = readAll(stdout);
        CompletableFuture<byte[]> err = readAll(stderr);

        var started = shim.task.start(StartRequest.newBuilder().setId("c1").build());
        var exit = shim.task.wait(WaitRequest.newBuilder().setId("c1").build());

        assertEquals(0, exit.getExitStatus());
        assertEquals("hello world\n", new String(out.get(), StandardCharsets.UTF_8));
        assertEquals(0, err.get().length);
        assertEquals(shim.vms().getFirst().pids().getFirst(), started.getPid(), "the task pid is the VM's");
        var state = shim.task.state(StateRequest.newBuilder().setId("c1").build());
        assertEquals(Status.STOPPED, state.getStatus());
        assertEquals(stdout.toString(), state.getStdout());
        var deleted = shim.task.delete(DeleteRequest.newBuilder().setId("c1").build());
        assertEquals(0, deleted.getExitStatus());
        assertEquals(deleted, DeleteResponse.parseFrom(DeletedTaskRecord.read(bundle).orElseThrow()),
                "containerd's cleanup after the shim exits gets the same answer");
    }

    @Test
    void theExitCountsOnlyOnceAllOutputIsOut() throws Exception {
        // A pod member, so that no VM stop follows its exit (and hides how long its output takes).
        run("pod1", shim.bundle("pod1", List.of("pause"), Map.of("io.kubernetes.cri.container-type", "sandbox",
                "io.kubernetes.cri.sandbox-id", "pod1")));
        Path stdout = shim.fifo("stdout");
        shim.task.create(create("c1", shim.bundle("c1", List.of("linger"), Map.of(
                "io.kubernetes.cri.container-type", "container", "io.kubernetes.cri.sandbox-id", "pod1")))
                .setStdout(stdout.toString()).build());
        CompletableFuture<byte[]> out = readAll(stdout);
        shim.task.start(StartRequest.newBuilder().setId("c1").build());
        shim.vc.waitProcess("pod1", "c1", "c1");

        assertEquals(Status.RUNNING, state("c1", ""), "exited, but its output is still coming");
        assertFalse(shim.events.topics().contains("/tasks/exit"));
        shim.guest().process("c1", "").releaseOutput();

        assertEquals(0, shim.task.wait(WaitRequest.newBuilder().setId("c1").build()).getExitStatus());
        assertEquals("late\n", new String(out.get(), StandardCharsets.UTF_8));
        shim.events.awaitTopic("/tasks/exit");
    }

    @Test
    void publishesCreateStartExitDeleteInOrderWithContainerdsEnvelope() throws Exception {
        run("c1", shim.bundle("c1", "exit", "3"));
        shim.task.wait(WaitRequest.newBuilder().setId("c1").build());
        shim.task.delete(DeleteRequest.newBuilder().setId("c1").build());
        shim.events.awaitTopic("/tasks/delete");

        assertEquals(List.of("/tasks/create", "/tasks/start", "/tasks/exit", "/tasks/delete"), shim.events.topics());
        Envelope exit = shim.events.received().get(2);
        assertEquals(ShimFixture.NAMESPACE, exit.getNamespace());
        assertEquals("containerd.events.TaskExit", exit.getEvent().getTypeUrl());
        assertNotEquals(0, exit.getTimestamp().getSeconds());
        TaskExit taskExit = TaskExit.parseFrom(exit.getEvent().getValue());
        assertEquals("c1", taskExit.getContainerId());
        assertEquals("c1", taskExit.getId());
        assertEquals(3, taskExit.getExitStatus());
    }

    @Test
    void stderrHasItsOwnFifo() throws Exception {
        Path stdout = shim.fifo("stdout");
        Path stderr = shim.fifo("stderr");
        shim.task.create(create("c1", shim.bundle("c1", "warn", "oops"))
                .setStdout(stdout.toString()).setStderr(stderr.toString()).build());
        CompletableFuture<byte[]> out = readAll(stdout);
        CompletableFuture<byte[]> err = readAll(stderr);
        shim.task.start(StartRequest.newBuilder().setId("c1").build());
        shim.task.wait(WaitRequest.newBuilder().setId("c1").build());

        assertEquals("oops\n", new String(err.get(), StandardCharsets.UTF_8));
        assertEquals(0, out.get().length);
    }

    @Test
    void copiesStdinToTheProcessByteForByte() throws Exception {
        Path stdin = shim.fifo("stdin");
        Path stdout = shim.fifo("stdout");
        shim.task.create(create("c1", shim.bundle("c1", "cat"))
                .setStdin(stdin.toString()).setStdout(stdout.toString()).build());
        CompletableFuture<byte[]> out = readAll(stdout);
        shim.task.start(StartRequest.newBuilder().setId("c1").build());
        byte[] data = new byte[10 << 20];
        new Random(42).nextBytes(data);

        try (var writer = new FileOutputStream(stdin.toFile())) {
            writer.write(data);
        }
        var exit = shim.task.wait(WaitRequest.newBuilder().setId("c1").build());

        assertEquals(0, exit.getExitStatus());
        assertArrayEquals(data, out.get());
    }

    @Test
    void closeIoClosesTheProcessStdinAfterWhatWasWritten() throws Exception {
        Path stdin = shim.fifo("stdin");
        Path stdout = shim.fifo("stdout");
        shim.task.create(create("c1", shim.bundle("c1", "cat"))
                .setStdin(stdin.toString()).setStdout(stdout.toString()).build());
        CompletableFuture<byte[]> out = readAll(stdout);
        shim.task.start(StartRequest.newBuilder().setId("c1").build());

        // Like ctr: CloseIO while its end of the FIFO is still open, closed right after.
        try (var writer = new FileOutputStream(stdin.toFile())) {
            writer.write("last words".getBytes(StandardCharsets.UTF_8));
            shim.task.closeIO(CloseIORequest.newBuilder().setId("c1").setStdin(true).build());
        }

        assertEquals(0, shim.task.wait(WaitRequest.newBuilder().setId("c1").build()).getExitStatus());
        assertEquals("last words", new String(out.get(), StandardCharsets.UTF_8));
    }

    @Test
    void closeIoEndsStdinEvenWhileContainerdKeepsItsEndOpen() throws Exception {
        Path stdin = shim.fifo("stdin");
        shim.task.create(create("c1", shim.bundle("c1", "cat")).setStdin(stdin.toString()).build());
        shim.task.start(StartRequest.newBuilder().setId("c1").build());

        try (var writer = new FileOutputStream(stdin.toFile())) {
            shim.task.closeIO(CloseIORequest.newBuilder().setId("c1").setStdin(true).build());
            assertEquals(0, shim.task.wait(WaitRequest.newBuilder().setId("c1").build()).getExitStatus());
        }
    }

    @Test
    void execRunsInTheContainerWithItsOwnLifecycleAndEvents() throws Exception {
        run("c1", shim.bundle("c1", "sleep"));
        Path stdout = shim.fifo("exec-stdout");
        shim.task.exec(ExecProcessRequest.newBuilder().setId("c1").setExecId("e1")
                .setStdout(stdout.toString()).setSpec(processSpec("echo", "from", "exec")).build());
        CompletableFuture<byte[]> out = readAll(stdout);
        assertEquals(Status.CREATED, state("c1", "e1"));

        shim.task.start(StartRequest.newBuilder().setId("c1").setExecId("e1").build());
        var exit = shim.task.wait(WaitRequest.newBuilder().setId("c1").setExecId("e1").build());

        assertEquals(0, exit.getExitStatus());
        assertEquals("from exec\n", new String(out.get(), StandardCharsets.UTF_8));
        assertEquals(Status.STOPPED, state("c1", "e1"));
        assertEquals(Status.RUNNING, state("c1", ""));
        shim.task.delete(DeleteRequest.newBuilder().setId("c1").setExecId("e1").build());
        assertCode(StatusCode.NOT_FOUND, () -> shim.task.state(StateRequest.newBuilder().setId("c1")
                .setExecId("e1").build()));
        shim.events.awaitEvent(e -> e.getTopic().equals("/tasks/exit") && exitOf(e).getId().equals("e1"));
        assertEquals(List.of("/tasks/create", "/tasks/start", "/tasks/exec-added", "/tasks/exec-started",
                "/tasks/exit"), shim.events.topics());
    }

    @Test
    void anExecThatCannotStartEndsItsOutputSoCtrStopsReading() throws Exception {
        run("c1", shim.bundle("c1", "sleep"));
        Path stdout = shim.fifo("exec-stdout");
        shim.task.exec(ExecProcessRequest.newBuilder().setId("c1").setExecId("e1")
                .setStdout(stdout.toString()).setSpec(processSpec("missing")).build());
        CompletableFuture<byte[]> out = readAll(stdout);

        assertCode(StatusCode.UNAVAILABLE, () -> shim.task.start(StartRequest.newBuilder().setId("c1")
                .setExecId("e1").build()));

        assertEquals(0, out.get(30, TimeUnit.SECONDS).length, "end of output, not a reader left hanging");
        assertEquals(255, shim.task.wait(WaitRequest.newBuilder().setId("c1").setExecId("e1").build())
                .getExitStatus());
        assertEquals(Status.RUNNING, state("c1", ""));
    }

    @Test
    void execIdsAreUniquePerTask() throws Exception {
        run("c1", shim.bundle("c1", "sleep"));
        var exec = ExecProcessRequest.newBuilder().setId("c1").setExecId("e1").setSpec(processSpec("sleep")).build();
        shim.task.exec(exec);

        assertCode(StatusCode.ALREADY_EXISTS, () -> shim.task.exec(exec));
    }

    @Test
    void killWithAllEndsEveryProcessOfTheTask() throws Exception {
        run("c1", shim.bundle("c1", "sleep"));
        shim.task.exec(ExecProcessRequest.newBuilder().setId("c1").setExecId("e1").setSpec(processSpec("sleep"))
                .build());
        shim.task.start(StartRequest.newBuilder().setId("c1").setExecId("e1").build());

        shim.task.kill(KillRequest.newBuilder().setId("c1").setSignal(9).setAll(true).build());

        assertEquals(137, shim.task.wait(WaitRequest.newBuilder().setId("c1").setExecId("e1").build())
                .getExitStatus());
        assertEquals(137, shim.task.wait(WaitRequest.newBuilder().setId("c1").build()).getExitStatus());
    }

    @Test
    void anExecNotStartedYetRefusesSignalsAndStillStarts() throws Exception {
        run("c1", shim.bundle("c1", "sleep"));
        shim.task.exec(ExecProcessRequest.newBuilder().setId("c1").setExecId("e1").setSpec(processSpec("sleep")).build());

        assertCode(StatusCode.FAILED_PRECONDITION, () -> shim.task.kill(KillRequest.newBuilder().setId("c1")
                .setExecId("e1").setSignal(15).build()));
        shim.task.start(StartRequest.newBuilder().setId("c1").setExecId("e1").build());
        assertEquals(Status.RUNNING, state("c1", "e1"));
    }

    @Test
    void killOfAnExitedProcessIsNotFoundUnlessItAsksToStopIt() throws Exception {
        run("c1", shim.bundle("c1", "exit", "0"));
        shim.task.wait(WaitRequest.newBuilder().setId("c1").build());

        assertCode(StatusCode.NOT_FOUND, () -> shim.task.kill(KillRequest.newBuilder().setId("c1").setSignal(1)
                .build()));
        shim.task.kill(KillRequest.newBuilder().setId("c1").setSignal(9).build());
    }

    @Test
    void anOomKillInTheGuestIsPublishedForItsContainer() throws Exception {
        run("c1", shim.bundle("c1", "sleep"));

        shim.guest().oomKill("c1");

        shim.events.awaitTopic("/tasks/oom");
        Envelope oom = shim.events.received().getLast();
        assertEquals("containerd.events.TaskOOM", oom.getEvent().getTypeUrl());
        assertEquals("c1", TaskOOM.parseFrom(oom.getEvent().getValue()).getContainerId());
    }

    @Test
    void pauseAndResumeShowInStateAndEvents() throws Exception {
        run("c1", shim.bundle("c1", "sleep"));

        shim.task.pause(PauseRequest.newBuilder().setId("c1").build());
        assertEquals(Status.PAUSED, state("c1", ""));
        assertTrue(shim.guest().paused.get("c1"));
        shim.task.resume(ResumeRequest.newBuilder().setId("c1").build());
        assertEquals(Status.RUNNING, state("c1", ""));
        assertCode(StatusCode.FAILED_PRECONDITION, () -> shim.task.resume(ResumeRequest.newBuilder().setId("c1")
                .build()));

        shim.events.awaitTopic("/tasks/resumed");
        assertEquals(List.of("/tasks/create", "/tasks/start", "/tasks/paused", "/tasks/resumed"),
                shim.events.topics());
    }

    @Test
    void unknownTasksAndExecsAreNotFound() throws Exception {
        assertCode(StatusCode.NOT_FOUND, () -> shim.task.state(StateRequest.newBuilder().setId("nope").build()));
        assertCode(StatusCode.NOT_FOUND, () -> shim.task.start(StartRequest.newBuilder().setId("nope").build()));
        assertCode(StatusCode.NOT_FOUND, () -> shim.task.kill(KillRequest.newBuilder().setId("nope").setSignal(9)
                .build()));
        assertCode(StatusCode.NOT_FOUND, () -> shim.task.delete(DeleteRequest.newBuilder().setId("nope").build()));
        assertCode(StatusCode.NOT_FOUND, () -> shim.task.wait(WaitRequest.newBuilder().setId("nope").build()));
        assertCode(StatusCode.NOT_FOUND, () -> shim.task.pids(PidsRequest.newBuilder().setId("nope").build()));
        run("c1", shim.bundle("c1", "sleep"));
        assertCode(StatusCode.NOT_FOUND, () -> shim.task.start(StartRequest.newBuilder().setId("c1")
                .setExecId("nope").build()));
        assertCode(StatusCode.NOT_FOUND, () -> shim.task.wait(WaitRequest.newBuilder().setId("c1")
                .setExecId("nope").build()));
    }

    @Test
    void callsOutOfOrderAreRefused() throws Exception {
        run("c1", shim.bundle("c1", "sleep"));

        assertCode(StatusCode.FAILED_PRECONDITION, () -> shim.task.delete(DeleteRequest.newBuilder().setId("c1")
                .build()));
        assertCode(StatusCode.FAILED_PRECONDITION, () -> shim.task.start(StartRequest.newBuilder().setId("c1")
                .build()));
        assertCode(StatusCode.ALREADY_EXISTS, () -> shim.task.create(create("c1", shim.dir.resolve("bundles/c1"))
                .build()));
        assertCode(StatusCode.UNIMPLEMENTED, () -> shim.task.checkpoint(CheckpointTaskRequest.newBuilder()
                .setId("c1").build()));
    }

    @Test
    void updateHandsTheOciResourcesToTheContainer() throws Exception {
        run("c1", shim.bundle("c1", "sleep"));
        String resources = "{\"memory\":{\"limit\":268435456},\"cpu\":{\"shares\":512}}";

        shim.task.update(UpdateTaskRequest.newBuilder().setId("c1").setResources(Any.newBuilder()
                .setTypeUrl(LINUX_RESOURCES).setValue(ByteString.copyFromUtf8(resources))).build());

        assertEquals(268435456L, shim.guest().updates.getLast().memoryLimitBytes());
        assertEquals(512L, shim.guest().updates.getLast().cpuShares());
        assertCode(StatusCode.INVALID_ARGUMENT, () -> shim.task.update(UpdateTaskRequest.newBuilder().setId("c1")
                .setResources(Any.newBuilder().setTypeUrl("other").setValue(ByteString.copyFromUtf8("{}"))).build()));
    }

    @Test
    void statsAreCgroupV1MetricsAndPidsTheVm() throws Exception {
        run("c1", shim.bundle("c1", "sleep"));

        var stats = shim.task.stats(StatsRequest.newBuilder().setId("c1").build()).getStats();
        var pids = shim.task.pids(PidsRequest.newBuilder().setId("c1").build());
        var connect = shim.task.connect(ConnectRequest.newBuilder().setId("c1").build());

        assertEquals("io.containerd.cgroups.v1.Metrics", stats.getTypeUrl());
        // Field numbers of containerd/cgroups stats/v1/metrics.proto: Metrics.cpu = 3 -> CPUStat.usage = 1
        // -> CPUUsage.total = 1; Metrics.memory = 4 -> MemoryStat.usage = 33 -> MemoryEntry.usage = 2, limit = 1.
        UnknownFieldSet metrics = UnknownFieldSet.parseFrom(stats.getValue());
        assertEquals(1000L, varint(nested(nested(metrics, 3), 1), 1));
        UnknownFieldSet memoryUsage = nested(nested(metrics, 4), 33);
        assertEquals(4096L, varint(memoryUsage, 2));
        assertEquals(8192L, varint(memoryUsage, 1));
        assertEquals(3L, varint(nested(metrics, 2), 1));
        long vmPid = shim.runningVms().getFirst().pids().getFirst();
        assertEquals(vmPid, pids.getProcesses(0).getPid());
        assertEquals(ProcessHandle.current().pid(), connect.getShimPid());
        assertEquals(vmPid, connect.getTaskPid());
        assertEquals(0, shim.task.connect(ConnectRequest.newBuilder().setId("unknown").build()).getTaskPid());
    }

    @Test
    void resizeReachesTheProcessTerminal() throws Exception {
        shim.task.create(create("c1", shim.bundle("c1", "sleep")).setTerminal(true).build());
        assertCode(StatusCode.FAILED_PRECONDITION, () -> shim.task.resizePty(ResizePtyRequest.newBuilder()
                .setId("c1").setWidth(80).setHeight(24).build()));
        shim.task.start(StartRequest.newBuilder().setId("c1").build());

        shim.task.resizePty(ResizePtyRequest.newBuilder().setId("c1").setWidth(80).setHeight(24).build());

        assertEquals("24x80", shim.guest().process("c1", "").terminalSize);
    }

    @Test
    void containersOfAPodShareTheVmOfItsSandboxContainer() throws Exception {
        Map<String, String> pod = Map.of("io.kubernetes.cri.container-type", "sandbox",
                "io.kubernetes.cri.sandbox-id", "pod1");
        Map<String, String> member = Map.of("io.kubernetes.cri.container-type", "container",
                "io.kubernetes.cri.sandbox-id", "pod1");
        run("pod1", shim.bundle("pod1", List.of("pause"), pod));
        Path stdout = shim.fifo("stdout");
        shim.task.create(create("app", shim.bundle("app", List.of("echo", "in", "pod"), member))
                .setStdout(stdout.toString()).build());
        CompletableFuture<byte[]> out = readAll(stdout);
        shim.task.start(StartRequest.newBuilder().setId("app").build());

        assertEquals(0, shim.task.wait(WaitRequest.newBuilder().setId("app").build()).getExitStatus());
        assertEquals("in pod\n", new String(out.get(), StandardCharsets.UTF_8));
        assertEquals(1, shim.runningVms().size(), "one VM for the pod");
        shim.task.delete(DeleteRequest.newBuilder().setId("app").build());
        shim.task.kill(KillRequest.newBuilder().setId("pod1").setSignal(9).build());
        shim.task.wait(WaitRequest.newBuilder().setId("pod1").build());
        shim.task.delete(DeleteRequest.newBuilder().setId("pod1").build());
        assertTrue(shim.vc.listSandbox().isEmpty(), "the pod's VM is gone with its sandbox container");
    }

    @Test
    void whenTheSandboxContainerEndsThePodsVmStopsAndItsContainersEndWithIt() throws Exception {
        run("pod1", shim.bundle("pod1", List.of("pause"), Map.of("io.kubernetes.cri.container-type", "sandbox",
                "io.kubernetes.cri.sandbox-id", "pod1")));
        run("app", shim.bundle("app", List.of("sleep"), Map.of("io.kubernetes.cri.container-type", "container",
                "io.kubernetes.cri.sandbox-id", "pod1")));

        shim.task.kill(KillRequest.newBuilder().setId("pod1").setSignal(9).build());

        assertEquals(137, shim.task.wait(WaitRequest.newBuilder().setId("pod1").build()).getExitStatus());
        assertNotEquals(0, shim.task.wait(WaitRequest.newBuilder().setId("app").build()).getExitStatus());
        assertEquals(Status.STOPPED, state("app", ""));
        assertTrue(shim.runningVms().isEmpty(), "the VM is gone");
    }

    @Test
    void shutdownOnlyEndsTheShimOnceNoTaskIsLeft() throws Exception {
        run("c1", shim.bundle("c1", "exit", "0"));

        shim.task.shutdown(ShutdownRequest.newBuilder().setId("c1").build());
        assertEquals(1, shim.shutdowns.getCount(), "a task is left: the shim stays");

        shim.task.wait(WaitRequest.newBuilder().setId("c1").build());
        shim.task.delete(DeleteRequest.newBuilder().setId("c1").build());
        shim.task.shutdown(ShutdownRequest.newBuilder().setId("c1").build());
        assertEquals(0, shim.shutdowns.getCount());
    }

    @Test
    void outputCanGoToAFileUri() throws Exception {
        Path log = tmp.resolve("logs/c1.log");
        shim.task.create(create("c1", shim.bundle("c1", "echo", "to", "file")).setStdout(log.toUri().toString())
                .build());
        shim.task.start(StartRequest.newBuilder().setId("c1").build());
        shim.task.wait(WaitRequest.newBuilder().setId("c1").build());

        assertEquals("to file\n", Files.readString(log));
    }

    @Test
    void binaryLoggersAreUnimplementedAndLeaveNoTask() throws Exception {
        Path bundle = shim.bundle("c1", "echo");

        assertCode(StatusCode.UNIMPLEMENTED, () -> shim.task.create(create("c1", bundle)
                .setStdout("binary:///usr/bin/logger?x=y").build()));
        assertCode(StatusCode.NOT_FOUND, () -> shim.task.state(StateRequest.newBuilder().setId("c1").build()));
        assertTrue(shim.vc.listSandbox().isEmpty());
    }

    @Test
    void aTaskKilledBeforeItStartedExitsAndCanBeDeleted() throws Exception {
        shim.task.create(create("c1", shim.bundle("c1", "sleep")).build());

        shim.task.kill(KillRequest.newBuilder().setId("c1").setSignal(9).build());

        assertEquals(137, shim.task.wait(WaitRequest.newBuilder().setId("c1").build()).getExitStatus());
        assertEquals(137, shim.task.delete(DeleteRequest.newBuilder().setId("c1").build()).getExitStatus());
        shim.events.awaitTopic("/tasks/delete");
        assertEquals(List.of("/tasks/create", "/tasks/exit", "/tasks/delete"), shim.events.topics());
        assertTrue(shim.vc.listSandbox().isEmpty());
    }

    @Test
    void aTaskThatFailsToStartHasEndedAndCanBeDeleted() throws Exception {
        shim.task.create(create("c1", shim.bundle("c1", "missing")).build());

        assertCode(StatusCode.UNAVAILABLE, () -> shim.task.start(StartRequest.newBuilder().setId("c1").build()));

        assertEquals(Status.STOPPED, state("c1", ""));
        assertEquals(255, shim.task.wait(WaitRequest.newBuilder().setId("c1").build()).getExitStatus());
        shim.task.delete(DeleteRequest.newBuilder().setId("c1").build());
        shim.events.awaitTopic("/tasks/delete");
        assertEquals(List.of("/tasks/create", "/tasks/exit", "/tasks/delete"), shim.events.topics());
        assertTrue(shim.vc.listSandbox().isEmpty());
    }

    @Test
    void deletingATaskThatNeverRanReleasesItsWaiters() throws Exception {
        shim.task.create(create("c1", shim.bundle("c1", "sleep")).build());
        var waiting = shim.task.waitAsync(WaitRequest.newBuilder().setId("c1").build());

        shim.task.delete(DeleteRequest.newBuilder().setId("c1").build());

        // A Wait that came after the delete finds no task; one that came before must not hang.
        try {
            assertEquals(0, waiting.get().getExitStatus());
        } catch (ExecutionException e) {
            assertEquals(StatusCode.NOT_FOUND, ((TtrpcException) e.getCause()).code());
        }
        assertTrue(shim.vc.listSandbox().isEmpty());
    }

    @Test
    void mountsTheRootfsIntoTheBundleUntilTheTaskIsDeleted() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "mounting needs root");
        Path bundle = shim.bundle("c1", "exit", "0");
        Path rootfs = bundle.resolve("rootfs").toRealPath();
        shim.task.create(create("c1", bundle).addRootfs(io.vcj.shim.proto.types.Mount.newBuilder()
                .setType("tmpfs").setSource("vcj-test").addOptions("size=1m")).build());
        try {
            assertTrue(mounted(rootfs), "rootfs mounted at " + rootfs);
            shim.task.start(StartRequest.newBuilder().setId("c1").build());
            shim.task.wait(WaitRequest.newBuilder().setId("c1").build());
        } finally {
            shim.task.delete(DeleteRequest.newBuilder().setId("c1").build());
        }

        assertFalse(mounted(rootfs));
    }

    @Test
    void aRootfsStillInUseIsDetachedOnDelete() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "mounting needs root");
        Path bundle = shim.bundle("c1", "exit", "0");
        Path rootfs = bundle.resolve("rootfs").toRealPath();
        shim.task.create(create("c1", bundle).addRootfs(io.vcj.shim.proto.types.Mount.newBuilder()
                .setType("tmpfs").setSource("vcj-test").addOptions("size=1m")).build());
        try (var busy = Files.newOutputStream(rootfs.resolve("open-file"))) {
            shim.task.start(StartRequest.newBuilder().setId("c1").build());
            shim.task.wait(WaitRequest.newBuilder().setId("c1").build());

            shim.task.delete(DeleteRequest.newBuilder().setId("c1").build());

            assertFalse(mounted(rootfs));
        }
    }

    private static boolean mounted(Path path) throws IOException {
        return mountPointsUnder(path).contains(path.toString());
    }

    private static List<String> mountPointsUnder(Path dir) throws IOException {
        return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
                .map(line -> line.split(" ")[4])
                .filter(mountPoint -> Path.of(mountPoint).startsWith(dir))
                .toList();
    }

    // ---- helpers

    private void run(String id, Path bundle) {
        shim.task.create(create(id, bundle).build());
        shim.task.start(StartRequest.newBuilder().setId(id).build());
    }

    private static CreateTaskRequest.Builder create(String id, Path bundle) {
        return CreateTaskRequest.newBuilder().setId(id).setBundle(bundle.toString());
    }

    private Status state(String id, String execId) {
        return shim.task.state(StateRequest.newBuilder().setId(id).setExecId(execId).build()).getStatus();
    }

    private static Any processSpec(String... args) {
        String json = "{\"args\":[\"" + String.join("\",\"", args) + "\"],\"cwd\":\"/\"}";
        return Any.newBuilder().setTypeUrl(PROCESS).setValue(ByteString.copyFromUtf8(json)).build();
    }

    /** containerd's side of an output FIFO: read until the shim closes it. */
    private static CompletableFuture<byte[]> readAll(Path fifo) {
        return CompletableFuture.supplyAsync(() -> {
            try (var in = new FileInputStream(fifo.toFile())) {
                return in.readAllBytes();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, r -> Thread.ofPlatform().daemon().start(r));
    }

    /** The message in the length-delimited field {@code number} of {@code message}. */
    private static UnknownFieldSet nested(UnknownFieldSet message, int number) throws IOException {
        return UnknownFieldSet.parseFrom(message.getField(number).getLengthDelimitedList().getFirst());
    }

    private static long varint(UnknownFieldSet message, int number) {
        return message.getField(number).getVarintList().getFirst();
    }

    private static TaskExit exitOf(Envelope envelope) {
        try {
            return TaskExit.parseFrom(envelope.getEvent().getValue());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void assertCode(StatusCode code, Executable call) {
        assertEquals(code, assertThrows(TtrpcException.class, call).code());
    }
}
