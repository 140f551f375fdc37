package io.vcj.shim.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vcj.vc.config.NetInterworkingModel;
import io.vcj.vc.config.NetworkConfig;
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
        assertEquals(config.hypervisor().kernelPath(), sandbox.hypervisorConfig().kernelPath());
        assertEquals("kata", sandbox.agentType());
        assertEquals(config.agent(), sandbox.agentConfig());
        assertEquals(Path.of("/var/run/netns/cni-1"), sandbox.network().netnsPath());
        assertEquals(0, sandbox.containers().size());
    }

    @Test
    void thePodUsesTheNetworkNamespaceCriMade() throws Exception {
        ObjectNode spec = spec("{\"linux\": {\"namespaces\": [{\"type\": \"network\", \"path\": \"/var/run/netns/cni-1\"}]}}");

        SandboxConfig sandbox = new ConfiguredSandboxes(config("")).create("pod-1", dir, spec, Map.of());

        assertEquals(new NetworkConfig(Path.of("/var/run/netns/cni-1"), NetInterworkingModel.TC_FILTER), sandbox.network());
    }

    @Test
    void aSpecAskingForANewNetworkNamespaceGetsOneVcjMakesInTheSandboxDirectory() throws Exception {
        ObjectNode spec = spec("{\"linux\": {\"namespaces\": [{\"type\": \"network\"}]}}");

        SandboxConfig sandbox = new ConfiguredSandboxes(config("[runtime]\nstate_root = \"/run/vcj-t\"\n"
                + "internetworking_model = \"bridged\"\n")).create("c1", dir, spec, Map.of());

        assertEquals(new NetworkConfig(Path.of("/run/vcj-t/c1/netns"), NetInterworkingModel.BRIDGED, true),
                sandbox.network());
        assertEquals("c1", sandbox.hostname());
    }

    @Test
    void aSpecWithoutNetworkNamespaceUsesTheHostsAndGivesTheVmNoNetwork() throws Exception {
        ObjectNode spec = spec("{\"linux\": {\"namespaces\": [{\"type\": \"pid\"}]}}");

        SandboxConfig sandbox = new ConfiguredSandboxes(config("")).create("c1", dir, spec, Map.of());

        assertFalse(sandbox.network().enabled());
    }

    private VcjConfig config(String extra) throws Exception {
        return VcjConfig.load(Files.writeString(dir.resolve("configuration.toml"), """
                [hypervisor.qemu]
                path = "%1$s"
                kernel = "%1$s"
                initrd = "%1$s"
                """.formatted(Files.createFile(dir.resolve("file"))) + extra));
    }

    private static ObjectNode spec(String json) throws Exception {
        return (ObjectNode) new ObjectMapper().readTree(json);
    }
}
