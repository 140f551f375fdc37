package io.vcj.it.shim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vcj.it.Await;
import io.vcj.it.BusyboxRootfs;
import io.vcj.it.Containerd;
import io.vcj.it.CtrEvents;
import io.vcj.it.CtrResult;
import io.vcj.it.HostRequirements;
import io.vcj.it.ProcessStates;
import io.vcj.it.vm.GuestImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code ctr run --runtime io.containerd.vcj.v2}: containerd starts our shim binary, which boots a
 * QEMU VM (TCG) from the build-guest image and runs the container there with the guest agent.
 */
class VcjRuntimeIT {

    /** A VM boot under TCG on a loaded host, plus everything after it; patience, not a measurement. */
    private static final Duration CLEANUP_PATIENCE = Duration.ofMinutes(2);

    private GuestImage guest;
    private Path shimDir;
    private Containerd containerd;
    private Path rootfs;
    private Path config;

    @BeforeEach
    void containerdWithOurShim() throws Exception {
        HostRequirements.assumeRootWithContainerd();
        Path busybox = HostRequirements.assumeStaticBusybox();
        guest = GuestImage.get();
        shimDir = ShimOnPath.create(Files.createTempDirectory("vcj-shim-it"));
        containerd = Containerd.builder().shimDirectory(shimDir).start();
        rootfs = BusyboxRootfs.create(busybox, containerd.dir().resolve("rootfs"));
        config = writeConfig(containerd.dir().resolve("vcj.toml"), "");
    }

    @AfterEach
    void stopContainerd() throws Exception {
        if (containerd != null) {
            containerd.close();
        }
        if (shimDir != null) {
            ShimOnPath.delete(shimDir);
        }
    }

    @Test
    void outputComesBackThroughCtr() throws Exception {
        CtrResult run = run("hello", "/bin/echo", "hello");

        assertEquals("hello", run.orThrow().stdout().strip());
    }

    @Test
    void theContainerRunsOnTheGuestKernel() throws Exception {
        CtrResult run = run("uname", "/bin/busybox", "uname", "-r");

        assertEquals(guest.kernelRelease(), run.orThrow().stdout().strip());
    }

    @Test
    void theContainersExitCodeIsCtrs() throws Exception {
        CtrResult run = run("exit3", "/bin/sh", "-c", "exit 3");

        assertEquals(3, run.exitCode(), run.toString());
    }

    @Test
    void anOomKillInTheContainerIsATaskOomEvent() throws Exception {
        CtrEvents events = containerd.events();
        // dd's 64 MiB buffer cannot fit under a 32 MiB limit: the guest's OOM killer ends dd, the shell goes on.
        containerd.ctr(ctrRun("-d", "--memory-limit=" + (32 << 20), "hog", "/bin/sh", "-c",
                "dd if=/dev/zero of=/dev/null bs=64M count=1; sleep 1000")).orThrow();

        String oom = events.awaitOrThrow(line -> line.contains("/tasks/oom"), CLEANUP_PATIENCE);

        assertTrue(oom.contains("\"container_id\":\"hog\""), oom);
    }

    @Test
    void aBrokenConfigFailsTheRunNamingTheProblem() throws Exception {
        writeConfig(config, "default_memory = \"lots\"\n");

        CtrResult run = run("broken", "/bin/echo", "never");

        assertFalse(run.succeeded(), run.toString());
        assertTrue(run.stderr().contains(config + ":5: [hypervisor.qemu] default_memory: must be an integer"),
                run.toString());
    }

    @Test
    void containerdCleansUpAfterAKilledShim() throws Exception {
        containerd.ctr(ctrRun("-d", "sleeper", "/bin/sleep", "1000")).orThrow();
        ProcessHandle shim = processesMentioning("io.vcj.shim.ShimMain", "-id sleeper").getFirst();
        List<ProcessHandle> vm = processesMentioning("qemu-system", containerd.dir().toString());
        assertEquals(1, vm.size(), "one QEMU for the pod");
        Path state = containerd.dir().resolve("vcj-state/sleeper");

        shim.destroyForcibly();
        Await.until(CLEANUP_PATIENCE, () -> !ProcessStates.isRunning(vm.getFirst()) && !Files.exists(state) && tasks().isEmpty()
                && !Files.exists(shimSocket("sleeper")));

        assertFalse(ProcessStates.isRunning(vm.getFirst()), "QEMU still runs after its shim was killed");
        assertFalse(Files.exists(state), "sandbox state left behind in " + state);
        assertEquals("", tasks());
        assertFalse(Files.exists(shimSocket("sleeper")), "the killed shim's socket is left behind");
    }

    private CtrResult run(String id, String... command) throws Exception {
        List<String> args = new ArrayList<>(List.of("--rm", id));
        args.addAll(List.of(command));
        return containerd.ctr(ctrRun(args.toArray(String[]::new)));
    }

    /**
     * {@code ctr run} with our runtime and the busybox rootfs; {@code args} start with ctr's
     * options, then the id. ({@code --rootfs} is a switch: the path comes first among the
     * positional arguments, where the image would be, so options must precede it.)
     */
    private String[] ctrRun(String... args) {
        List<String> command = new ArrayList<>(List.of("run", "--runtime", ShimOnPath.RUNTIME,
                "--runtime-config-path", config.toString()));
        int id = 0;
        while (args[id].startsWith("-")) {
            command.add(args[id++]);
        }
        command.addAll(List.of("--rootfs", rootfs.toString()));
        command.addAll(List.of(args).subList(id, args.length));
        return command.toArray(String[]::new);
    }

    private Path writeConfig(Path file, String extraQemuKeys) throws Exception {
        return VcjTestConfig.write(file, guest, containerd.dir().resolve("vcj-state"), extraQemuKeys);
    }

    private static List<ProcessHandle> processesMentioning(String... words) {
        return ProcessHandle.allProcesses()
                .filter(p -> {
                    String line = p.info().commandLine().orElse("");
                    return List.of(words).stream().allMatch(line::contains);
                })
                .toList();
    }

    /** Where containerd's shim protocol puts the socket of the group (here: container) {@code id}. */
    private Path shimSocket(String id) throws Exception {
        byte[] hash = MessageDigest.getInstance("SHA-256").digest(
                (containerd.address() + "/" + containerd.namespace() + "/" + id).getBytes(StandardCharsets.UTF_8));
        return Path.of("/run/containerd/s", HexFormat.of().formatHex(hash));
    }

    private String tasks() throws Exception {
        return containerd.ctr("tasks", "ls", "-q").orThrow().stdout().strip();
    }
}
