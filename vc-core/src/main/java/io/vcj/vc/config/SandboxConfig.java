package io.vcj.vc.config;

import io.vcj.vc.VcException;
import io.vcj.vc.hypervisor.HypervisorConfig;

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

    /** The hypervisor config with the VM size of this sandbox. */
    public HypervisorConfig effectiveHypervisorConfig() {
        HypervisorConfig h = hypervisorConfig;
        return new HypervisorConfig(h.kernelPath(), h.initrdPath(), h.imagePath(), h.firmwarePath(),
                h.hypervisorPath(), h.machineType(), h.machineAccelerators(), h.accelerator(), h.kernelParams(),
                h.hypervisorParams(), vm.vcpus(), vm.memoryMiB(), h.sharedFs(), h.virtioFsDaemon(),
                h.agentTransport(), h.debug(), h.annotations());
    }
}
