package io.vcj.virtc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vcj.vc.config.ContainerConfig;
import io.vcj.vc.config.Rootfs;
import io.vcj.vc.config.SandboxConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SandboxConfigsTest {

    private static final String DEFAULT_PATH = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    @TempDir
    Path rootfs;

    @Test
    void aSandboxWithoutRootfsOrCommandHasNoContainer() {
        SandboxConfig config = sandbox("sandbox", "create", "--id", "pod", "--vcpus", "2", "--memory", "768",
                "--agent-timeout", "90");

        assertEquals("pod", config.id());
        assertEquals(List.of(), config.containers());
        assertEquals(2, config.vm().vcpus());
        assertEquals(768, config.vm().memoryMiB());
        assertEquals("qemu", config.hypervisorType());
        assertEquals("kata", config.agentType());
        assertEquals(Duration.ofSeconds(90), config.agentConfig().dialTimeout());
    }

    @Test
    void aRootfsAndACommandMakeTheSandboxsContainerNamedAfterIt() {
        SandboxConfig config = sandbox("sandbox", "run", "--id", "pod", "--rootfs", rootfs.toString(),
                "--env", "GREETING=hi", "--cwd", "/tmp", "--", "echo", "hello");

        ContainerConfig container = config.containers().getFirst();
        assertEquals("pod", container.id());
        assertEquals(new Rootfs.HostPath(rootfs), container.rootfs());
        assertEquals(List.of("echo", "hello"), container.cmd().args());
        assertEquals(List.of(DEFAULT_PATH, "GREETING=hi"), container.cmd().env());
        assertEquals("/tmp", container.cmd().workDir());
        assertEquals("0", container.cmd().user());
        assertEquals(false, container.cmd().interactive());
    }

    @Test
    void interactiveContainersAndCommandsGetStdin() {
        ContainerConfig container = sandbox("sandbox", "run", "--id", "pod", "--interactive",
                "--rootfs", rootfs.toString(), "--", "cat").containers().getFirst();

        assertEquals(true, container.cmd().interactive());
        assertEquals(true, ContainerConfigs.cmd(CommandLine.parse("container", "exec", "--interactive", "--", "cat"))
                .interactive());
    }

    @Test
    void theContainerIdAndPathCanBeChosen() {
        ContainerConfig container = sandbox("sandbox", "create", "--id", "pod", "--container-id", "web",
                "--rootfs", rootfs.toString(), "--env", "PATH=/bin", "--cmd", "httpd -f").containers().getFirst();

        assertEquals("web", container.id());
        assertEquals(List.of("PATH=/bin"), container.cmd().env());
        assertEquals(List.of("httpd", "-f"), container.cmd().args());
    }

    @Test
    void aRelativeRootfsIsTakenFromTheWorkingDirectory() throws IOException {
        Path relative = Files.createDirectories(Path.of("target", "virtc-rootfs-test"));
        try {
            ContainerConfig container = ContainerConfigs.container("c",
                    CommandLine.parse("container", "create", "--rootfs", relative.toString(), "--cmd", "true"));

            assertEquals(new Rootfs.HostPath(relative.toAbsolutePath()), container.rootfs());
        } finally {
            Files.delete(relative);
        }
    }

    @Test
    void aContainerNeedsAnExistingRootfsAndACommand() {
        assertEquals("'sandbox run' needs --rootfs DIR", refused("sandbox", "run", "--id", "pod", "--", "echo"));
        assertEquals("--rootfs " + rootfs.resolve("nope") + " is not a directory",
                refused("sandbox", "run", "--id", "pod", "--rootfs", rootfs.resolve("nope").toString(), "--", "echo"));
        assertEquals("'sandbox run' needs a command: --cmd \"CMD ARGS\" or CMD ARGS after --",
                refused("sandbox", "run", "--id", "pod", "--rootfs", rootfs.toString()));
        assertEquals("'sandbox create' needs --id ID", refused("sandbox", "create"));
    }

    private static SandboxConfig sandbox(String... args) {
        CommandLine line = CommandLine.parse(args);
        return SandboxConfigs.sandbox(line, Settings.of(line, Map.of()));
    }

    private static String refused(String... args) {
        return assertThrows(UsageException.class, () -> sandbox(args)).getMessage();
    }
}
