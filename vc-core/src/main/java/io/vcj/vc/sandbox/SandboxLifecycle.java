package io.vcj.vc.sandbox;

import io.vcj.vc.ExitStatus;
import io.vcj.vc.State;
import io.vcj.vc.VcException;
import io.vcj.vc.agent.Agent;
import io.vcj.vc.agent.CreateSandboxRequest;
import io.vcj.vc.agent.Storage;
import io.vcj.vc.config.ContainerConfig;
import io.vcj.vc.config.SandboxConfig;
import io.vcj.vc.config.Volume;
import io.vcj.vc.host.RunDirCleaner;
import io.vcj.vc.hypervisor.Device;
import io.vcj.vc.hypervisor.Hypervisor;
import io.vcj.vc.hypervisor.HypervisorException;
import io.vcj.vc.hypervisor.VmTemplate;
import io.vcj.vc.network.NetworkPlan;
import io.vcj.vc.store.ContainerRecord;
import io.vcj.vc.store.SandboxLock;
import io.vcj.vc.store.SandboxRecord;
import io.vcj.vc.store.SandboxStore;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/** Sandbox lifecycle: create (VM up, agent ready), start, pause, resume, stop (VM gone), delete. Internal. */
public final class SandboxLifecycle {
    private static final Logger LOG = LogManager.getLogger(SandboxLifecycle.class);
    private static final Duration VM_START_TIMEOUT = Duration.ofSeconds(30);
    private static final int SIGKILL = 9;
    /** What processes killed by a sandbox stop exit with, as a shell would report SIGKILL. */
    private static final int KILLED = 128 + SIGKILL;

    private final SandboxStore store;
    private final Plugins plugins;
    private final LiveSandboxes live;
    private final ConfigValidator validator;
    private final ContainerLifecycle containers;
    private final ContainerSetup setup;
    private final RunDirCleaner cleaner;
    private final VmTemplates templates;

    SandboxLifecycle(SandboxStore store, Plugins plugins, LiveSandboxes live, ConfigValidator validator,
                     ContainerLifecycle containers, ContainerSetup setup, Path templateRoot) {
        this.store = store;
        this.plugins = plugins;
        this.live = live;
        this.validator = validator;
        this.containers = containers;
        this.setup = setup;
        this.cleaner = new RunDirCleaner(plugins.mounter());
        this.templates = templateRoot == null ? VmTemplates.NONE : new VmTemplates(templateRoot, plugins, cleaner);
    }

    /**
     * Brings up the VM and its agent and creates the configured containers. On failure everything done
     * so far is undone: no VM left running, no state directory left behind.
     */
    public SandboxRecord create(SandboxConfig config) {
        validator.validate(config);
        String id = config.id();
        store.createDir(id);
        Path runDir = store.dir(id);
        try (SandboxLock lock = store.lock(id); var rollback = new Rollback()) {
            rollback.onFailure("remove " + runDir, () -> cleaner.remove(runDir));
            NetworkPlan network = setUpNetwork(config, rollback);
            createDirectory(GuestPaths.hostShared(runDir));
            StartedVm vm = startVm(config, runDir, network);
            Hypervisor hypervisor = vm.hypervisor();
            rollback.onFailure("stop the VM", () -> hypervisor.stopVM(Duration.ZERO));
            LOG.info("sandbox {}: VM {}, pids {}", id, vm.resumed() ? "resumed from its template" : "booted",
                    hypervisor.pids());
            var record = new SandboxRecord(id, config, State.READY, hypervisor.pids(), hypervisor.agentChannel(),
                    Instant.now(), config.annotations(), List.of());
            // Recorded at once so that, should this process die mid-create, another can delete the VM.
            store.write(record);

            Agent agent = plugins.agent(config.agentType()).create(config.agentConfig());
            rollback.onFailure("close the agent", agent::close);
            agent.connect(hypervisor.agentChannel(), config.agentConfig().dialTimeout());
            if (vm.resumed()) {
                agent.setGuestDateTime(Instant.now());
                agent.reseedRandomDev(VmTemplates.freshSeed());
                network.devices().forEach(hypervisor::hotplugAddDevice);
            }
            agent.createSandbox(new CreateSandboxRequest(id, config.hostname(), config.dns(), sharedStorages(config),
                    config.agentConfig().debug()));
            configureGuestNetwork(agent, network);

            LiveSandbox sandbox = live.register(config, record.createdAt(), hypervisor, agent);
            rollback.onFailure("forget the sandbox", () -> live.forget(id));
            for (ContainerConfig container : config.containers()) {
                record = containers.createIn(sandbox, record, container, rollback);
            }
            store.write(record);
            rollback.commit();
            LOG.info("sandbox {} created with {} container(s)", id, record.containers().size());
            return record;
        }
    }

    private record StartedVm(Hypervisor hypervisor, boolean resumed) {
    }

    /** Resumes the sandbox's VM template when there is one; a template that cannot be resumed is discarded. */
    private StartedVm startVm(SandboxConfig config, Path runDir, NetworkPlan network) {
        Optional<VmTemplate> template = templates.forSandbox(config);
        if (template.isPresent()) {
            try {
                return new StartedVm(launch(config, runDir, network, template.get()), true);
            } catch (HypervisorException e) {
                LOG.warn("sandbox {}: cannot resume VM template {} ({}); booting instead", config.id(),
                        template.get().dir(), e.getMessage());
                templates.discard(template.get());
            }
        }
        return new StartedVm(launch(config, runDir, network, null), false);
    }

    /**
     * A VM resumed from {@code template} gets the pod's NICs hot-plugged later: the template had none.
     * A failed start leaves no VM process (the Hypervisor contract).
     */
    private Hypervisor launch(SandboxConfig config, Path runDir, NetworkPlan network, VmTemplate template) {
        Hypervisor hypervisor = plugins.hypervisor(config.hypervisorType()).create();
        hypervisor.createVM(config.id(), config.effectiveHypervisorConfig(), runDir);
        if (config.network().enabled()) {
            hypervisor.networkNamespace(config.network().netnsPath());
        }
        hypervisor.addDevice(GuestPaths.sharedDirectory(config, GuestPaths.hostShared(runDir)));
        config.volumes().forEach(volume -> hypervisor.addDevice(GuestPaths.volumeDirectory(config, volume)));
        if (template == null) {
            network.devices().forEach(hypervisor::addDevice);
        } else {
            hypervisor.bootFromTemplate(template);
        }
        hypervisor.startVM(VM_START_TIMEOUT);
        return hypervisor;
    }

    /**
     * Connects the interfaces added to a namespace vcj made since create, then starts every created
     * container; the sandbox is then running.
     */
    public SandboxRecord start(String id) {
        try (SandboxLock lock = store.lock(id)) {
            SandboxRecord record = load(id);
            SandboxAction.START.check(id, record.state());
            LiveSandbox sandbox = live.get(record);
            if (record.config().network().createNamespace()) {
                connectAddedInterfaces(sandbox, record.config());
            }
            record = record.withState(State.RUNNING);
            store.write(record);
            for (ContainerRecord container : record.containers()) {
                if (container.state() == State.READY) {
                    record = containers.startIn(sandbox, record, container);
                }
            }
            return record;
        }
    }

    public SandboxRecord pause(String id) {
        return moveVm(id, SandboxAction.PAUSE, State.PAUSED, Hypervisor::pauseVM);
    }

    public SandboxRecord resume(String id) {
        return moveVm(id, SandboxAction.RESUME, State.RUNNING, Hypervisor::resumeVM);
    }

    private SandboxRecord moveVm(String id, SandboxAction action, State target,
                                 Consumer<Hypervisor> move) {
        try (SandboxLock lock = store.lock(id)) {
            SandboxRecord record = load(id);
            action.check(id, record.state());
            move.accept(live.get(record).hypervisor());
            record = record.withState(target);
            store.write(record);
            return record;
        }
    }

    /**
     * Kills every container, stops the VM and releases what the host held for it. Guest-side steps are
     * best effort: the VM going away ends everything in it anyway.
     */
    public SandboxRecord stop(String id) {
        try (SandboxLock lock = store.lock(id)) {
            SandboxRecord record = load(id);
            SandboxAction.STOP.check(id, record.state());
            return stopLocked(record);
        }
    }

    private SandboxRecord stopLocked(SandboxRecord record) {
        String id = record.id();
        LiveSandbox sandbox = live.get(record);
        // With nothing left running and no disk whose writes may still sit in the guest's page cache
        // (DestroySandbox unmounts them), it would only tidy runc's state in a VM about to vanish:
        // half a second of runc under TCG after every pod's last exit.
        boolean guestRunsSomething = record.containers().stream().anyMatch(SandboxLifecycle::running);
        boolean guestHoldsDisks = record.containers().stream().anyMatch(c -> !c.hotplugged().isEmpty());
        if (sandbox.vmAlive() && record.state() != State.PAUSED && (guestRunsSomething || guestHoldsDisks)) {
            shutDownGuest(sandbox, record);
        }
        sandbox.closeAgent();
        // QEMU quits at once, as Kata's does: the guest has no power-button handler (an ACPI powerdown
        // only cost the grace period), and the agent has ended what ran in it, or cannot.
        sandbox.hypervisor().stopVM(Duration.ZERO);
        ExitStatus killed = new ExitStatus(KILLED, Instant.now());
        SandboxRecord stopped = releaseHost(record)
                .withEachContainer(c -> c.state() == State.STOPPED ? c : c.exited(killed))
                .withState(State.STOPPED);
        store.write(stopped);
        LOG.info("sandbox {} stopped", id);
        return stopped;
    }

    /** Stops the sandbox if its VM is still up, then removes everything it left on the host. */
    public void delete(String id) {
        try (SandboxLock lock = store.lock(id)) {
            if (store.read(id).isEmpty()) {
                // Only a create that died before its VM started leaves a directory without state.
                LOG.warn("sandbox {}: removing the leftovers of an unfinished create", id);
                cleaner.remove(store.dir(id));
                return;
            }
            SandboxRecord record = load(id);
            SandboxAction.DELETE.check(id, record.state());
            if (record.state() != State.STOPPED) {
                record = stopLocked(record);
            }
            releaseHost(record);
            live.forget(id);
            cleaner.remove(store.dir(id));
            LOG.info("sandbox {} deleted", id);
        }
    }

    public SandboxRecord setAnnotations(String id, Map<String, String> annotations) {
        try (SandboxLock lock = store.lock(id)) {
            SandboxRecord record = load(id);
            var merged = new HashMap<>(record.annotations());
            merged.putAll(annotations);
            record = record.withAnnotations(merged);
            store.write(record);
            return record;
        }
    }

    /** Waits, without holding the sandbox's lock, for the guest to report a container killed for want of memory. */
    public String awaitOom(String id) {
        LiveSandbox sandbox;
        try (SandboxLock lock = store.lock(id)) {
            SandboxRecord record = live.current(id);
            SandboxAction.REACH_GUEST.check(id, record.state());
            sandbox = live.get(record);
        }
        return sandbox.agent().awaitOomEvent();
    }

    /** The sandbox as recorded, noticing a VM that died unwatched. */
    public SandboxRecord load(String id) {
        try (SandboxLock lock = store.lock(id)) {
            return live.current(id);
        }
    }

    /** Every recorded sandbox, sorted by id. */
    public List<SandboxRecord> list() {
        var records = new ArrayList<SandboxRecord>();
        for (String id : store.ids()) {
            try {
                records.add(load(id));
            } catch (VcException.NotFound deletedMeanwhile) {
                LOG.debug("sandbox {} vanished while listing", id);
            }
        }
        return records;
    }

    private NetworkPlan setUpNetwork(SandboxConfig config, Rollback rollback) {
        if (!config.network().enabled()) {
            return NetworkPlan.EMPTY;
        }
        NetworkPlan plan = plugins.network().setUp(config.id(), config.network());
        rollback.onFailure("tear down the network", () -> plugins.network().tearDown(config.id(), config.network()));
        return plan;
    }

    /** The namespace was empty at create; the NICs for what was added since are hot-plugged. */
    private void connectAddedInterfaces(LiveSandbox sandbox, SandboxConfig config) {
        NetworkPlan added = plugins.network().setUp(config.id(), config.network());
        added.devices().forEach(sandbox.hypervisor()::hotplugAddDevice);
        configureGuestNetwork(sandbox.agent(), added);
    }

    private static List<Storage> sharedStorages(SandboxConfig config) {
        Device.SharedFs fs = GuestPaths.sharedFs(config.hypervisorConfig().sharedFs());
        var storages = new ArrayList<Storage>();
        storages.add(GuestPaths.sharedStorage(fs, GuestPaths.SHARED_TAG, GuestPaths.GUEST_SHARED));
        for (Volume volume : config.volumes()) {
            storages.add(GuestPaths.sharedStorage(fs, volume.mountTag(), GuestPaths.guestVolume(volume.mountTag())));
        }
        return storages;
    }

    private static void configureGuestNetwork(Agent agent, NetworkPlan network) {
        network.interfaces().forEach(agent::updateInterface);
        if (!network.routes().isEmpty()) {
            agent.updateRoutes(network.routes());
        }
        if (!network.neighbors().isEmpty()) {
            agent.addArpNeighbors(network.neighbors());
        }
    }

    private static void shutDownGuest(LiveSandbox sandbox, SandboxRecord record) {
        try {
            Agent agent = sandbox.agent();
            for (ContainerRecord container : record.containers()) {
                if (running(container)) {
                    agent.signalProcess(container.id(), ProcessKey.init(container.id()).agentExecId(), SIGKILL, true);
                }
            }
            agent.destroySandbox();
        } catch (RuntimeException e) {
            LOG.warn("sandbox {}: guest shutdown skipped, stopping the VM anyway: {}", record.id(), e.toString());
        }
    }

    /** Has a process in the guest (a paused one still does). */
    private static boolean running(ContainerRecord container) {
        return container.state() == State.RUNNING || container.state() == State.PAUSED;
    }

    /** Undoes the host side of the containers and the network; the VM must be gone. Idempotent. */
    private SandboxRecord releaseHost(SandboxRecord record) {
        Path runDir = store.dir(record.id());
        SandboxRecord released = record.withEachContainer(c -> {
            setup.release(c.id(), runDir, List.of(), null);
            return c.unplugged();
        });
        if (record.config().network().enabled()) {
            plugins.network().tearDown(record.id(), record.config().network());
        }
        return released;
    }

    private static void createDirectory(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
    }
}
