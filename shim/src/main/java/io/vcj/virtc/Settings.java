package io.vcj.virtc;

import io.vcj.shim.config.VcjConfig;
import io.vcj.vc.VirtContainers;
import io.vcj.vc.config.AgentConfig;
import io.vcj.vc.hypervisor.Device;
import io.vcj.vc.hypervisor.HypervisorConfig;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What virtc runs sandboxes with: the state root, the VM template and how to reach the agent.
 * They come from {@code --config FILE} (the shim's configuration.toml) or from built-in defaults,
 * then from the command line's VM options, which win. VM templates are used when the config file
 * enables them ({@code templates} null otherwise).
 */
record Settings(Path root, HypervisorConfig hypervisor, AgentConfig agent, Path templates) {

    static final String QEMU_BINARY = "qemu-system-x86_64";
    private static final List<String> MACHINE_TYPES = List.of("q35", "microvm");
    private static final List<String> ACCELERATORS = List.of("auto", "kvm", "tcg");
    /** A guest boot under TCG on a busy host takes well over the library's 30 s default. */
    private static final AgentConfig DEFAULT_AGENT = new AgentConfig(Duration.ofSeconds(120), false);

    static Settings of(CommandLine line, Map<String, String> environment) {
        Optional<VcjConfig> file = line.value(Option.CONFIG).map(Path::of).map(VcjConfig::load);
        Path root = line.value(Option.ROOT).map(Path::of)
                .or(() -> file.map(VcjConfig::stateRoot))
                .orElse(VirtContainers.DEFAULT_ROOT)
                .toAbsolutePath();
        HypervisorConfig hypervisor = withOptions(
                file.map(VcjConfig::hypervisor).orElseGet(() -> defaultHypervisor(environment)), line);
        AgentConfig agent = file.map(VcjConfig::agent).orElse(DEFAULT_AGENT);
        Optional<Integer> timeout = line.integer(Option.AGENT_TIMEOUT);
        if (timeout.isPresent()) {
            agent = new AgentConfig(Duration.ofSeconds(timeout.get()), agent.debug());
        }
        return new Settings(root, hypervisor, agent, file.map(VcjConfig::templatePath).orElse(null));
    }

    /** QEMU from PATH, the guest from build-guest's cache, a 1-vCPU 512 MiB q35 VM sharing files over 9p. */
    static HypervisorConfig defaultHypervisor(Map<String, String> environment) {
        return new HypervisorConfig(GuestCache.kernel(environment), GuestCache.initrd(environment), null, null,
                qemuOnPath(environment), "q35", null, "auto", List.of(), List.of(), 1, 512, Device.SharedFs.VIRTIO_9P,
                null, "virtio-serial", false, Map.of());
    }

    private static Path qemuOnPath(Map<String, String> environment) {
        return Arrays.stream(environment.getOrDefault("PATH", "").split(File.pathSeparator))
                .filter(dir -> !dir.isEmpty())
                .map(dir -> Path.of(dir, QEMU_BINARY))
                .filter(Files::isExecutable)
                .findFirst()
                .orElse(Path.of("/usr/bin", QEMU_BINARY));
    }

    private static HypervisorConfig withOptions(HypervisorConfig h, CommandLine line) {
        Path kernel = line.value(Option.KERNEL).map(Settings::absolute).orElse(h.kernelPath());
        // An initrd given on the command line replaces a configured root disk image.
        Optional<Path> initrd = line.value(Option.INITRD).map(Settings::absolute);
        Path image = initrd.isPresent() ? null : h.imagePath();
        Path qemu = line.value(Option.HYPERVISOR_PATH).map(Settings::absolute).orElse(h.hypervisorPath());
        String machineType = oneOf(line, Option.MACHINE_TYPE, MACHINE_TYPES).orElse(h.machineType());
        String accelerator = oneOf(line, Option.ACCELERATOR, ACCELERATORS).orElse(h.accelerator());
        int vcpus = line.integer(Option.VCPUS).orElse(h.vcpus());
        int memory = line.integer(Option.MEMORY).orElse(h.memoryMiB());
        return new HypervisorConfig(kernel, initrd.orElse(h.initrdPath()), image, h.firmwarePath(), qemu,
                machineType, h.machineAccelerators(), accelerator, h.kernelParams(), h.hypervisorParams(), vcpus,
                memory, h.sharedFs(), h.virtioFsDaemon(), h.agentTransport(), h.debug(), h.annotations());
    }

    private static Path absolute(String path) {
        return Path.of(path).toAbsolutePath();
    }

    private static Optional<String> oneOf(CommandLine line, Option option, List<String> choices) {
        Optional<String> value = line.value(option);
        value.filter(choice -> !choices.contains(choice)).ifPresent(choice -> {
            throw new UsageException(option.flag() + " must be one of " + String.join(", ", choices)
                    + ", got '" + choice + "'");
        });
        return value;
    }
}
