package io.vcj.shim.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vcj.vc.config.SandboxConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfiguredSandboxesTest {

    @TempDir
    Path dir;

    @Test
    void everyPodGetsTheConfiguredVmWithItsSpecsHostnameAndNetwork() throws Exception {
        VcjConfig config = VcjConfig.load(Files.writeString(dir.resolve("configuration.toml"), """
                [hypervisor.qemu]
                path = "%1$s"
                kernel = "%1$s"
                initrd = "%1$s"
                default_vcpus = 2
                default_memory = 768
                [agent.kata]
                dial_timeout = 90
                """.formatted(Files.createFile(dir.resolve("file")))));
        ObjectNode spec = (ObjectNode) new ObjectMapper().readTree("""
                {"hostname": "web-0",
                 "linux": {"namespaces": [{"type": "pid"}, {"type": "network", "path": "/var/run/netns/cni-1"}]}}""");

        SandboxConfig sandbox = new ConfiguredSandboxes(config).create("pod-1", dir, spec, Map.of());

        assertEquals("pod-1", sandbox.id());
        assertEquals("web-0", sandbox.hostname());
        assertEquals(2, sandbox.vm().vcpus());
        assertEquals(768, sandbox.vm().memoryMiB());
        assertEquals("qemu", sandbox.hypervisorType());
        assertEquals(config.hypervisor(), sandbox.hypervisorConfig());
        assertEquals("kata", sandbox.agentType());
        assertEquals(config.agent(), sandbox.agentConfig());
        assertEquals(Path.of("/var/run/netns/cni-1"), sandbox.network().netnsPath());
        assertEquals(0, sandbox.containers().size());
    }

    @Test
    void aSpecAskingForANewNetworkNamespaceGetsNoNetwork() throws Exception {
        VcjConfig config = VcjConfig.load(Files.writeString(dir.resolve("configuration.toml"), """
                [hypervisor.qemu]
                path = "%1$s"
                kernel = "%1$s"
                initrd = "%1$s"
                """.formatted(Files.createFile(dir.resolve("file")))));
        ObjectNode spec = (ObjectNode) new ObjectMapper().readTree("{\"linux\": {\"namespaces\": [{\"type\": \"network\"}]}}");

        SandboxConfig sandbox = new ConfiguredSandboxes(config).create("c1", dir, spec, Map.of());

        assertFalse(sandbox.network().enabled());
        assertEquals("c1", sandbox.hostname());
    }
}
