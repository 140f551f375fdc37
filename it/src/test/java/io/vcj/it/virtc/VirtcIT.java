package io.vcj.it.virtc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vcj.it.BusyboxRootfs;
import io.vcj.it.HostRequirements;
import io.vcj.it.vm.GuestImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * virtc as a user runs it: every command is a process of its own, so each one finds the sandbox
 * through the state the previous ones left. Two VMs boot (QEMU, TCG on this kind of host), with
 * the guest agent of this build and a busybox container rootfs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(1800)
class VirtcIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The guest boots under TCG on a shared, loaded host. */
    private static final String AGENT_TIMEOUT = "240";

    private GuestImage guest;
    private Path dir;
    private Path root;
    private Path rootfs;

    @BeforeAll
    void setUp() throws Exception {
        Path busybox = HostRequirements.assumeStaticBusybox();
        guest = GuestImage.get();
        // Short: QEMU's socket paths under the state root must stay under 108 bytes.
        dir = Files.createTempDirectory(Path.of("/tmp"), "vcjvc");
        root = dir.resolve("r");
        rootfs = BusyboxRootfs.create(busybox, dir.resolve("rootfs"));
        // runc would otherwise create these mount points through the 9p share.
        for (String mountPoint : List.of("proc", "dev", "sys", "tmp")) {
            Files.createDirectories(rootfs.resolve(mountPoint));
        }
    }

    @AfterAll
    void tearDown() throws Exception {
        if (dir == null) {
            return;
        }
        try {
            for (JsonNode sandbox : sandboxes()) {
                virtc("sandbox", "stop", "--id", sandbox.get("id").asText());
                virtc("sandbox", "delete", "--id", sandbox.get("id").asText());
            }
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
    }

    @Test
    void checkReportsQemuAndFindsNothingEssentialMissing() throws Exception {
        VirtcRun check = VirtcRun.launcher("check", "--root", root.toString(),
                "--kernel", guest.kernel().toString(), "--initrd", guest.initrd().toString());

        assertEquals(0, check.exit(), check.toString());
        assertTrue(check.out().lines().anyMatch(line -> line.matches("ok +qemu +.*QEMU emulator version.*")), check.out());
        assertTrue(check.out().endsWith("this host can run sandboxes\n"), check.out());
    }

    @Test
    void sandboxRunShowsTheContainersOutputAndExitsWithItsCode() throws Exception {
        VirtcRun run = boot("sandbox", "run", "--id", "hello", "--rootfs", rootfs.toString(), "--", "echo", "hello");

        assertEquals(0, run.exit(), run.toString());
        assertEquals("hello\n", run.out(), run.toString());

        assertSucceeds(virtc("sandbox", "stop", "--id", "hello"));
        assertSucceeds(virtc("sandbox", "delete", "--id", "hello"));
        assertLeavesNothing();
    }

    @Test
    void aCreatedSandboxIsListedStartedAndDrivenByLaterCommands() throws Exception {
        assertTrue(assertSucceeds(boot("sandbox", "create", "--id", "pod")).out().startsWith("sandbox pod: ready"));
        assertTrue(assertSucceeds(virtc("sandbox", "start", "--id", "pod")).out().startsWith("sandbox pod: running"));

        JsonNode listed = sandboxes();
        assertEquals(1, listed.size(), listed.toString());
        assertEquals("pod", listed.get(0).get("id").asText());
        assertEquals("running", listed.get(0).get("state").asText());
        assertEquals(1, listed.get(0).get("vmPids").size(), listed.toString());

        assertSucceeds(virtc("container", "create", "--sandbox-id", "pod", "--id", "job", "--rootfs", rootfs.toString(),
                "--", "sh", "-c", "echo from job; echo to stderr >&2; exit 7"));
        VirtcRun job = virtc("container", "start", "--sandbox-id", "pod", "--id", "job");
        assertEquals(7, job.exit(), job.toString());
        assertEquals("from job\n", job.out(), job.toString());
        assertTrue(job.err().contains("to stderr\n"), job.toString());

        assertSucceeds(virtc("container", "create", "--sandbox-id", "pod", "--id", "svc", "--rootfs", rootfs.toString(),
                "--cmd", "sleep 600"));
        assertSucceeds(virtc("container", "start", "--sandbox-id", "pod", "--id", "svc", "--detach"));
        VirtcRun exec = virtc("container", "exec", "--sandbox-id", "pod", "--id", "svc", "--env", "WHO=exec",
                "--", "sh", "-c", "echo hi from $WHO");
        assertEquals(0, exec.exit(), exec.toString());
        assertEquals("hi from exec\n", exec.out(), exec.toString());
        VirtcRun cat = VirtcRun.javaWithInput("line one\nline two\n", "--root", root.toString(),
                "container", "exec", "--sandbox-id", "pod", "--id", "svc", "--interactive", "--", "cat");
        assertEquals(0, cat.exit(), cat.toString());
        assertEquals("line one\nline two\n", cat.out(), cat.toString());

        JsonNode status = JSON.readTree(assertSucceeds(virtc("container", "status", "--json", "--sandbox-id", "pod",
                "--id", "job")).out());
        assertEquals(7, status.get("exitCode").asInt(), status.toString());

        assertTrue(assertSucceeds(virtc("sandbox", "stop", "--id", "pod")).out().startsWith("sandbox pod: stopped"));
        assertSucceeds(virtc("sandbox", "delete", "--id", "pod"));
        assertLeavesNothing();
    }

    private void assertLeavesNothing() throws Exception {
        assertEquals(0, sandboxes().size());
        try (Stream<Path> entries = Files.list(root)) {
            assertEquals(List.of(), entries.toList(), "state left under the root");
        }
        List<String> mounts = Files.readAllLines(Path.of("/proc/mounts")).stream()
                .filter(line -> line.contains(dir.toString())).toList();
        assertEquals(List.of(), mounts, "mounts left behind");
    }

    private JsonNode sandboxes() throws IOException, InterruptedException {
        return JSON.readTree(assertSucceeds(virtc("sandbox", "list", "--json")).out());
    }

    /** A command that boots a VM: with this build's guest and a deadline for TCG. */
    private VirtcRun boot(String... args) throws IOException, InterruptedException {
        var all = new ArrayList<>(List.of("--kernel", guest.kernel().toString(), "--initrd", guest.initrd().toString(),
                "--agent-timeout", AGENT_TIMEOUT));
        all.addAll(List.of(args));
        return virtc(all.toArray(String[]::new));
    }

    private VirtcRun virtc(String... args) throws IOException, InterruptedException {
        var all = new ArrayList<>(List.of("--root", root.toString()));
        all.addAll(List.of(args));
        return VirtcRun.java(all.toArray(String[]::new));
    }

    private static VirtcRun assertSucceeds(VirtcRun run) {
        assertEquals(0, run.exit(), run.toString());
        return run;
    }
}
