package io.vcj.vc.config;

import io.vcj.vc.VcException;
import io.vcj.vc.hypervisor.HypervisorConfig;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigRecordsTest {
    private static final HypervisorConfig HYPERVISOR = new HypervisorConfig(Path.of("/k"), Path.of("/i"), null, null,
            Path.of("/q"), "q35", null, "auto", List.of(), List.of(), 1, 2048, null, null, null, false, Map.of());

    private static SandboxConfig sandbox(String id, List<ContainerConfig> containers) {
        var builder = SandboxConfig.builder(id).vm(4, 512).hypervisor("qemu", HYPERVISOR).agent("kata", null);
        containers.forEach(builder::container);
        return builder.build();
    }

    private static ContainerConfig container(String id) {
        return ContainerConfig.of(id, new Rootfs.HostPath(Path.of("/r")), Cmd.of("ls"));
    }

    @Test
    void theVmResourcesOverrideTheHypervisorDefaults() {
        HypervisorConfig effective = sandbox("pod", List.of()).effectiveHypervisorConfig();
        assertEquals(4, effective.vcpus());
        assertEquals(512, effective.memoryMiB());
        assertEquals(HYPERVISOR.kernelPath(), effective.kernelPath());
    }

    @Test
    void defaultsFillWhatIsLeftOut() {
        SandboxConfig config = sandbox("pod", List.of());
        assertEquals("pod", config.hostname());
        assertEquals(AgentConfig.DEFAULT, config.agentConfig());
        assertTrue(!config.network().enabled());
    }

    @Test
    void idsThatCouldEscapeADirectoryAreRefused() {
        for (String bad : List.of("", "../x", "a/b", ".hidden", "x".repeat(129))) {
            assertThrows(VcException.InvalidArgument.class, () -> sandbox(bad, List.of()), bad);
            assertThrows(VcException.InvalidArgument.class, () -> container(bad), bad);
        }
    }

    @Test
    void aContainerListedTwiceIsRefused() {
        var e = assertThrows(VcException.AlreadyExists.class,
                () -> sandbox("pod", List.of(container("web"), container("web"))));
        assertTrue(e.getMessage().contains("'web'"), e.getMessage());
    }

    @Test
    void vmResourcesMustFitAVm() {
        assertThrows(VcException.InvalidArgument.class, () -> new VmResources(0, 512));
        var e = assertThrows(VcException.InvalidArgument.class, () -> new VmResources(1, 16));
        assertTrue(e.getMessage().contains("16"), e.getMessage());
    }
}
