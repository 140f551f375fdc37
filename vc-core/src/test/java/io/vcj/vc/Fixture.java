package io.vcj.vc;

import io.vcj.vc.config.AgentConfig;
import io.vcj.vc.config.Cmd;
import io.vcj.vc.config.ContainerConfig;
import io.vcj.vc.config.Rootfs;
import io.vcj.vc.config.SandboxConfig;
import io.vcj.vc.device.VfioDevices;
import io.vcj.vc.hypervisor.HypervisorConfig;
import io.vcj.vc.mock.FakeMounter;
import io.vcj.vc.mock.Faults;
import io.vcj.vc.mock.MockAgent;
import io.vcj.vc.mock.MockHypervisor;
import io.vcj.vc.network.NetworkSetup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** A VirtContainers on mocks over a temporary root, with the files a sandbox config points at. */
final class Fixture implements AutoCloseable {
    final Path root;
    final Path kernel;
    final Path initrd;
    final Path rootfs;
    final Faults faults = new Faults();
    /** Shared by every instance, like the host's mount table. */
    final FakeMounter mounter = new FakeMounter();
    final List<MockHypervisor> hypervisors = new CopyOnWriteArrayList<>();
    private final List<VirtContainers> instances = new CopyOnWriteArrayList<>();
    final VirtContainers vc;

    Fixture(Path tmp) throws IOException {
        root = tmp.resolve("run");
        kernel = Files.writeString(tmp.resolve("vmlinux"), "kernel");
        initrd = Files.writeString(tmp.resolve("initrd.img"), "initrd");
        rootfs = Files.createDirectories(tmp.resolve("bundle/rootfs"));
        vc = newInstance();
    }

    /** Another instance on the same root, as a second process would have. */
    VirtContainers newInstance() {
        return newInstance(NetworkSetup.NONE);
    }

    VirtContainers newInstance(NetworkSetup network) {
        return newInstance(network, VfioDevices.NONE);
    }

    VirtContainers newInstance(NetworkSetup network, VfioDevices vfio) {
        return newInstance(network, vfio, null);
    }

    /** An instance that starts sandboxes from VM templates in {@code templates}. */
    VirtContainers withTemplates(Path templates, NetworkSetup network) {
        return newInstance(network, VfioDevices.NONE, templates);
    }

    private VirtContainers newInstance(NetworkSetup network, VfioDevices vfio, Path templates) {
        var instance = VirtContainers.builder()
                .root(root)
                .hypervisor("mock", () -> {
                    var hypervisor = new MockHypervisor(faults);
                    hypervisors.add(hypervisor);
                    return hypervisor;
                })
                .agent("mock", config -> new MockAgent(faults))
                .mounter(mounter)
                .network(network)
                .vfio(vfio)
                .vmTemplates(templates)
                .build();
        instances.add(instance);
        return instance;
    }

    HypervisorConfig hypervisorConfig() {
        return new HypervisorConfig(kernel, initrd, null, null, Path.of("/bin/true"), "q35", null, "auto",
                List.of(), List.of(), 1, 128, null, null, null, false, Map.of());
    }

    SandboxConfig sandbox(String id, ContainerConfig... containers) {
        return sandbox(id, hypervisorConfig(), containers);
    }

    SandboxConfig sandbox(String id, HypervisorConfig hypervisor, ContainerConfig... containers) {
        var builder = SandboxConfig.builder(id)
                .vm(2, 256)
                .hypervisor("mock", hypervisor)
                .agent("mock", new AgentConfig(Duration.ofSeconds(1), false))
                .dns("nameserver 10.0.0.1")
                .annotation("io.vcj.test", "yes");
        List.of(containers).forEach(builder::container);
        return builder.build();
    }

    ContainerConfig container(String id, String... args) {
        return ContainerConfig.of(id, new Rootfs.HostPath(rootfs), Cmd.of(args));
    }

    MockHypervisor lastHypervisor() {
        return hypervisors.getLast();
    }

    /**
     * Deletes what the test left, through the API: it takes each sandbox's lock, so no state is
     * still being written in the background when the temporary directory goes.
     */
    @Override
    public void close() {
        VirtContainers cleaner = newInstance();
        for (SandboxStatus sandbox : cleaner.listSandbox()) {
            if (sandbox.state() == State.RUNNING || sandbox.state() == State.PAUSED) {
                cleaner.stopSandbox(sandbox.id());
            }
            cleaner.deleteSandbox(sandbox.id());
        }
        instances.forEach(VirtContainers::close);
        hypervisors.forEach(h -> h.stopVM(Duration.ZERO));
    }
}
