package io.vcj.vc.sandbox;

import io.vcj.vc.store.SandboxStore;

import java.nio.file.Path;

/** Wires the sandbox, container and process operations over one state root. Internal: use VirtContainers. */
public final class Engine implements AutoCloseable {
    private final LiveSandboxes live;
    private final SandboxLifecycle sandboxes;
    private final ContainerLifecycle containers;
    private final Processes processes;

    public Engine(Path root, Plugins plugins, Path templateRoot) {
        var store = new SandboxStore(root);
        var recorder = new ExitRecorder(store);
        var validator = new ConfigValidator(plugins.hypervisors().keySet(), plugins.agents().keySet());
        var setup = new ContainerSetup(plugins.mounter(), plugins.vfio());
        this.live = new LiveSandboxes(plugins, store, recorder);
        this.processes = new Processes(store, live, recorder);
        this.containers = new ContainerLifecycle(store, live, validator, setup, processes);
        this.sandboxes = new SandboxLifecycle(store, plugins, live, validator, containers, setup, templateRoot);
    }

    public SandboxLifecycle sandboxes() {
        return sandboxes;
    }

    public ContainerLifecycle containers() {
        return containers;
    }

    public Processes processes() {
        return processes;
    }

    /** Drops agent connections; VMs keep running. */
    @Override
    public void close() {
        live.close();
    }
}
