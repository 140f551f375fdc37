package io.vcj.virtc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vcj.vc.ContainerStatus;
import io.vcj.vc.ExitStatus;
import io.vcj.vc.SandboxStatus;
import io.vcj.vc.State;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ViewsTest {

    private static final Instant STARTED = Instant.parse("2026-11-23T18:00:00Z");
    private static final ContainerStatus WEB = new ContainerStatus("web", State.RUNNING, 4242, STARTED, "/srv/web",
            Map.of(), null);
    private static final ContainerStatus JOB = new ContainerStatus("job", State.STOPPED, 4242, STARTED, "/srv/job",
            Map.of(), new ExitStatus(3, Instant.parse("2026-11-23T18:00:05Z")));
    private static final SandboxStatus POD = new SandboxStatus("pod", State.RUNNING, "qemu", "kata", List.of(4242L),
            Map.of(), List.of(WEB, JOB));

    @Test
    void tablesLineUpTheirColumns() {
        String table = new Table("ID", "STATE", "NOTE").row("a-long-id", "ok").row("b", "stopped", 7).render();

        assertEquals("""
                ID         STATE    NOTE
                a-long-id  ok
                b          stopped  7
                """, table);
    }

    @Test
    void aSandboxReadsAsALineAndItsContainersTable() {
        assertEquals("""
                sandbox pod: running (qemu, agent kata, VM pid 4242)

                ID   STATE    VM PID  STARTED               EXIT  ROOTFS
                web  running  4242    2026-11-23T18:00:00Z        /srv/web
                job  stopped  4242    2026-11-23T18:00:00Z  3     /srv/job
                """, Views.sandboxText(POD));
    }

    @Test
    void sandboxesAreListedOneALine() {
        SandboxStatus stopped = new SandboxStatus("old", State.STOPPED, "qemu", "kata", List.of(), Map.of(), List.of());

        assertEquals("""
                ID   STATE    HYPERVISOR  AGENT  VM PID  CONTAINERS
                pod  running  qemu        kata   4242    2
                old  stopped  qemu        kata           0
                """, Views.sandboxTable(List.of(POD, stopped)));
    }

    @Test
    void jsonOutputCarriesTheSameFacts() throws Exception {
        var bytes = new ByteArrayOutputStream();
        new Output(new PrintStream(bytes, true, StandardCharsets.UTF_8), true)
                .show(List.of(Views.sandbox(POD)), () -> "not this");

        JsonNode sandbox = new ObjectMapper().readTree(bytes.toString(StandardCharsets.UTF_8)).get(0);
        assertEquals("pod", sandbox.get("id").asText());
        assertEquals("running", sandbox.get("state").asText());
        assertEquals(4242, sandbox.get("vmPids").get(0).asLong());
        JsonNode job = sandbox.get("containers").get(1);
        assertEquals("job", job.get("id").asText());
        assertEquals(4242, job.get("vmPid").asLong());
        assertEquals("stopped", job.get("state").asText());
        assertEquals(3, job.get("exitCode").asInt());
        assertEquals("2026-11-23T18:00:05Z", job.get("exitedAt").asText());
        assertEquals("2026-11-23T18:00:00Z", job.get("startTime").asText());
        assertEquals(true, sandbox.get("containers").get(0).get("exitCode").isNull());
    }

    @Test
    void textOutputIsPrintedAsItIs() {
        var bytes = new ByteArrayOutputStream();
        new Output(new PrintStream(bytes, true, StandardCharsets.UTF_8), false).show(Map.of(), () -> "plain\n");

        assertEquals("plain\n", bytes.toString(StandardCharsets.UTF_8));
    }
}
