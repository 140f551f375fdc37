package io.vcj.shim.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vcj.shim.task.SandboxConfigFactory;
import io.vcj.vc.config.NetworkConfig;
import io.vcj.vc.config.SandboxConfig;
import io.vcj.vc.hypervisor.HypervisorConfig;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Every pod gets the VM the vcj config describes, its hostname from the spec, and the network
 * namespace containerd (or CRI) made for it, if the spec names one.
 */
public final class ConfiguredSandboxes implements SandboxConfigFactory {

    private final VcjConfig config;

    public ConfiguredSandboxes(VcjConfig config) {
        this.config = config;
    }

    @Override
    public SandboxConfig create(String sandboxId, Path bundle, ObjectNode spec, Map<String, String> annotations) {
        HypervisorConfig vm = config.hypervisor();
        SandboxConfig.Builder sandbox = SandboxConfig.builder(sandboxId)
                .hostname(spec.path("hostname").asText(""))
                .vm(vm.vcpus(), vm.memoryMiB())
                .hypervisor(VcjConfig.HYPERVISOR_TYPE, vm)
                .agent(VcjConfig.AGENT_TYPE, config.agent());
        networkNamespace(spec).ifPresent(path -> sandbox.network(new NetworkConfig(path, null)));
        return sandbox.build();
    }

    /** The path of the spec's network namespace; none when the spec asks for a fresh one. */
    private static Optional<Path> networkNamespace(ObjectNode spec) {
        for (JsonNode namespace : spec.path("linux").path("namespaces")) {
            String path = namespace.path("path").asText("");
            if (namespace.path("type").asText("").equals("network") && !path.isEmpty()) {
                return Optional.of(Path.of(path));
            }
        }
        return Optional.empty();
    }
}
