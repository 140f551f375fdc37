package io.vcj.it.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vcj.it.ProcessesMentioning;
import io.vcj.vc.config.SandboxConfig;
import io.vcj.vc.hypervisor.HypervisorConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Pods started from a VM template (QEMU under TCG, the real guest image and agent): the first pod
 * boots a VM to agent ready and saves it, the next ones resume it. A resumed pod must look to its
 * containers like a booted one: its shared directory mounted, the host's time, randomness of its own.
 */
@Timeout(900)
class VmTemplateIT {
    /** How stale the template's clock is made before pods resume it; the guest must not show it. */
    private static final Duration TEMPLATE_AGE = Duration.ofSeconds(20);
    private static final long CLOCK_TOLERANCE_SECONDS = 5;

    @Test
    void podsResumedFromOneTemplateRunContainersOnTheHostsTimeWithRandomnessOfTheirOwn() throws Exception {
        GuestImage image = GuestImage.get();
        try (VmPods pods = VmPods.withTemplates()) {
            HypervisorConfig hypervisor = VmPods.hypervisor(image.kernel(), image.initrd(), VmPods.QEMU_BINARY);
            pods.vc.runSandbox(VmPods.sandbox("first", hypervisor)
                    .container(pods.container("hello", "echo", "hello from the first pod")).build());
            assertEquals("hello from the first pod\n", VmPods.stdout(pods.vc.processIo("first", "hello", "")));
            Path template = onlyTemplate(pods.templates());
            waitUntilOlderThan(template, TEMPLATE_AGE);

            List<Probe> seen = Stream.of("second", "third").map(id -> runProbe(pods, hypervisor, id)).toList();

            for (Probe probe : seen) {
                assertTrue(probe.guestSeconds() >= probe.hostBefore().getEpochSecond() - CLOCK_TOLERANCE_SECONDS
                                && probe.guestSeconds() <= probe.hostAfter().getEpochSecond() + CLOCK_TOLERANCE_SECONDS,
                        "the guest's time " + Instant.ofEpochSecond(probe.guestSeconds()) + " is the host's, between "
                                + probe.hostBefore() + " and " + probe.hostAfter());
            }
            assertNotEquals(seen.get(0).random(), seen.get(1).random(),
                    "two pods resumed from one template read different bytes from /dev/urandom");
            assertEquals(List.of(template), List.of(onlyTemplate(pods.templates())), "both pods used the first pod's template");
            for (String id : List.of("first", "second", "third")) {
                pods.vc.stopSandbox(id);
                pods.vc.deleteSandbox(id);
            }
            assertEquals(List.of(), new ProcessesMentioning(pods.dir.toString()).list(), "no QEMU left");
        }
    }

    /** What a probe container printed (the guest's time, 16 random bytes in hex), and the host's time around it. */
    private record Probe(long guestSeconds, String random, Instant hostBefore, Instant hostAfter) {
    }

    private static Probe runProbe(VmPods pods, HypervisorConfig hypervisor, String id) {
        try {
            SandboxConfig config = VmPods.sandbox(id, hypervisor).container(pods.container("probe", "sh", "-c",
                    "date +%s; head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \\n'; echo")).build();
            Instant before = Instant.now();
            pods.vc.runSandbox(config);
            String output = VmPods.stdout(pods.vc.processIo(id, "probe", ""));
            Instant after = Instant.now();
            assertEquals(0, pods.vc.waitProcess(id, "probe", "").code(), output);
            String[] lines = output.split("\n");
            return new Probe(Long.parseLong(lines[0].strip()), lines[1].strip(), before, after);
        } catch (Exception e) {
            throw new AssertionError("pod " + id + " failed", e);
        }
    }

    private static Path onlyTemplate(Path templates) throws Exception {
        try (Stream<Path> entries = Files.list(templates)) {
            List<Path> dirs = entries.filter(Files::isDirectory).toList();
            assertEquals(1, dirs.size(), "one template: " + dirs);
            return dirs.getFirst();
        }
    }

    private static void waitUntilOlderThan(Path template, Duration age) throws Exception {
        Instant saved = Files.getLastModifiedTime(template.resolve("state")).toInstant();
        Duration left = Duration.between(Instant.now(), saved.plus(age));
        if (!left.isNegative()) {
            Thread.sleep(left.toMillis());
        }
    }
}
