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
 * Every pod gets the VM the vcj config describes, its hostname from the spec, and the network of
 * its spec's network namespace: the one CRI made, if the spec names a path, else a new one vcj
 * makes (as runc would), to which {@code ctr run --cni} adds interfaces between create and start.
 * QEMU runs in that namespace, so the task's pid (QEMU's) leads CNI to it; a spec without a
 * network namespace (host network) gives the VM no NIC.
 */
public final class ConfiguredSandboxes implements SandboxConfigFactory {

    /** The namespace file vcj makes, in vc-core's run directory of the sandbox, which goes with it. */
    private static final String CREATED_NETNS = "netns";

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
                .agent(VcjConfig.AGENT_TYPE, config.agent());
        Optional<NetworkConfig> network = network(sandboxId, spec);
        network.ifPresent(sandbox::network);
        sandbox.hypervisor(VcjConfig.HYPERVISOR_TYPE, vm);
        return sandbox.build();
    }

    private Optional<NetworkConfig> network(String sandboxId, ObjectNode spec) {
        for (JsonNode namespace : spec.path("linux").path("namespaces")) {
            if (namespace.path("type").asText("").equals("network")) {
                String path = namespace.path("path").asText("");
                return Optional.of(path.isEmpty()
                        ? new NetworkConfig(config.stateRoot().resolve(sandboxId).resolve(CREATED_NETNS),
                                config.interworking(), true)
                        : new NetworkConfig(Path.of(path), config.interworking()));
            }
        }
        return Optional.empty();
    }
}
