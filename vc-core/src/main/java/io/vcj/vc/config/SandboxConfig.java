package io.vcj.vc.config;

import io.vcj.vc.VcException;
import io.vcj.vc.hypervisor.HypervisorConfig;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

/**
 * A sandbox to create: one VM and the containers in it.
 *
 * @param hostname         the guest's hostname, defaults to the id (truncated to 63 characters)
 * @param vm               the VM's size; overrides {@code hypervisorConfig}'s vcpus and memory
 * @param hypervisorType   key of a hypervisor factory registered with {@code VirtContainers}, e.g. {@code qemu}
 * @param agentType        key of an agent factory registered with {@code VirtContainers}, e.g. {@code kata}
 * @param dns              resolv.conf lines for the guest
 * @param containers       containers created along with the sandbox (may be empty)
 * @param annotations      free-form, name-spaced keys ({@code io.vcj.foo})
 */
public record SandboxConfig(String id, String hostname, VmResources vm, String hypervisorType,
                            HypervisorConfig hypervisorConfig, String agentType, AgentConfig agentConfig,
                            NetworkConfig network, List<String> dns, List<Volume> volumes,
                            List<ContainerConfig> containers, Map<String, String> annotations) {

    public SandboxConfig {
        Ids.require("sandbox id", id);
        hostname = hostname == null || hostname.isEmpty() ? id.substring(0, Math.min(63, id.length())) : hostname;
        if (vm == null) {
            throw new VcException.InvalidArgument("sandbox '" + id + "' needs VM resources");
        }
        if (hypervisorType == null || hypervisorType.isEmpty() || hypervisorConfig == null) {
            throw new VcException.InvalidArgument("sandbox '" + id + "' needs a hypervisor type and config");
        }
        if (agentType == null || agentType.isEmpty()) {
            throw new VcException.InvalidArgument("sandbox '" + id + "' needs an agent type");
        }
        agentConfig = agentConfig == null ? AgentConfig.DEFAULT : agentConfig;
        network = network == null ? NetworkConfig.NONE : network;
        dns = List.copyOf(dns == null ? List.of() : dns);
        volumes = List.copyOf(volumes == null ? List.of() : volumes);
        containers = List.copyOf(containers == null ? List.of() : containers);
        annotations = Map.copyOf(annotations == null ? Map.of() : annotations);
        requireUnique(id, "container id", containers.stream().map(ContainerConfig::id).toList());
        requireUnique(id, "volume mount tag", volumes.stream().map(Volume::mountTag).toList());
    }

    private static void requireUnique(String id, String what, List<String> values) {
        var seen = new HashSet<String>();
        for (String value : values) {
            if (!seen.add(value)) {
                throw new VcException.AlreadyExists("sandbox '" + id + "' lists " + what + " '" + value + "' twice");
            }
        }
    }

    public static Builder builder(String id) {
        return new Builder(id);
    }

    /** Builds a SandboxConfig field by field; what is left out gets the record's defaults. */
    public static final class Builder {
        private final String id;
        private String hostname;
        private VmResources vm;
        private String hypervisorType;
        private HypervisorConfig hypervisorConfig;
        private String agentType;
        private AgentConfig agentConfig;
        private NetworkConfig network;
        private final List<String> dns = new ArrayList<>();
        private final List<Volume> volumes = new ArrayList<>();
        private final List<ContainerConfig> containers = new ArrayList<>();
        private final Map<String, String> annotations = new HashMap<>();

        private Builder(String id) {
            this.id = id;
        }

        public Builder hostname(String hostname) {
            this.hostname = hostname;
            return this;
        }

        public Builder vm(int vcpus, int memoryMiB) {
            this.vm = new VmResources(vcpus, memoryMiB);
            return this;
        }

        public Builder hypervisor(String type, HypervisorConfig config) {
            this.hypervisorType = type;
            this.hypervisorConfig = config;
            return this;
        }

        public Builder agent(String type, AgentConfig config) {
            this.agentType = type;
            this.agentConfig = config;
            return this;
        }

        public Builder network(NetworkConfig network) {
            this.network = network;
            return this;
        }

        public Builder dns(String resolvConfLine) {
            dns.add(resolvConfLine);
            return this;
        }

        public Builder volume(Volume volume) {
            volumes.add(volume);
            return this;
        }

        public Builder container(ContainerConfig container) {
            containers.add(container);
            return this;
        }

        public Builder annotation(String key, String value) {
            annotations.put(key, value);
            return this;
        }

        public SandboxConfig build() {
            return new SandboxConfig(id, hostname, vm, hypervisorType, hypervisorConfig, agentType, agentConfig,
                    network, dns, volumes, containers, annotations);
        }
    }

    /** The hypervisor config with the VM size of this sandbox. */
    public HypervisorConfig effectiveHypervisorConfig() {
        HypervisorConfig h = hypervisorConfig;
        return new HypervisorConfig(h.kernelPath(), h.initrdPath(), h.imagePath(), h.firmwarePath(),
                h.hypervisorPath(), h.machineType(), h.machineAccelerators(), h.accelerator(), h.kernelParams(),
                h.hypervisorParams(), vm.vcpus(), vm.memoryMiB(), h.sharedFs(), h.virtioFsDaemon(),
                h.agentTransport(), h.debug(), h.annotations());
    }
}
