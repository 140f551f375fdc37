package io.vcj.qemu;

import io.vcj.qemu.qmp.QmpException;
import io.vcj.vc.hypervisor.AgentChannel;
import io.vcj.vc.hypervisor.Capabilities;
import io.vcj.vc.hypervisor.Device;
import io.vcj.vc.hypervisor.HotplugResult;
import io.vcj.vc.hypervisor.Hypervisor;
import io.vcj.vc.hypervisor.HypervisorConfig;
import io.vcj.vc.hypervisor.HypervisorException;
import io.vcj.vc.hypervisor.VmTemplate;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@link Hypervisor} backed by one QEMU process per sandbox, controlled over QMP.
 *
 * <p>Annotations read from the config: {@value #HOTPLUG_PORTS} (empty PCIe root ports for hotplug
 * on q35, default {@value #DEFAULT_HOTPLUG_PORTS}) and {@value #VSOCK_CID} (the guest context id
 * when the agent transport is vsock).
 *
 * <p>VM templates: the template VM keeps its RAM in the template's memory file and is saved by
 * migrating its device state to a file ({@link VmMigration}); a clone starts with {@code -incoming},
 * maps the memory file privately and loads that state.
 */
public final class QemuHypervisor implements Hypervisor {

    public static final String HOTPLUG_PORTS = "io.vcj.qemu.hotplug_ports";
    public static final String VSOCK_CID = "io.vcj.qemu.vsock_cid";
    public static final int AGENT_VSOCK_PORT = 1024;
    static final int DEFAULT_HOTPLUG_PORTS = 4;
    private static final Logger LOG = LogManager.getLogger(QemuHypervisor.class);

    private enum State { NEW, CREATED, RUNNING, STOPPED }

    private final AcceleratorProbe probe;
    private final List<Device> devices = new ArrayList<>();
    private final List<VirtiofsDaemon> daemons = new ArrayList<>();
    private final CompletableFuture<Integer> exited = new CompletableFuture<>();
    private State state = State.NEW;
    private boolean cleanedUp;
    private String sandboxId;
    private HypervisorConfig config;
    private RunDir runDir;
    private boolean createdRunDir;
    private Accelerator accelerator;
    private QemuProcess qemu;
    private Hotplugger hotplugger;
    private Path netns;
    private LaunchSpec.TemplateRole templateRole = LaunchSpec.TemplateRole.NONE;
    private VmTemplate template;

    public QemuHypervisor() {
        this(AcceleratorProbe.defaults());
    }

    public QemuHypervisor(AcceleratorProbe probe) {
        this.probe = probe;
    }

    /**
     * The VM whose run dir is {@code runDir}, as seen from a process that did not start it: it can be
     * stopped (then its sockets are removed), paused and resumed. When no live QEMU belongs to the run
     * dir, the result is already stopped and {@link #stopVM} only cleans up.
     */
    public static QemuHypervisor attach(String sandboxId, Path runDir) {
        QemuHypervisor vm = new QemuHypervisor(null);
        vm.sandboxId = sandboxId;
        vm.runDir = new RunDir(runDir);
        vm.qemu = QemuProcess.attach(vm.runDir).orElse(null);
        if (vm.qemu == null) {
            vm.state = State.STOPPED;
            vm.exited.complete(-1);
        } else {
            vm.state = State.RUNNING;
            vm.qemu.exited().whenComplete((status, error) -> vm.exited.complete(status));
            LOG.info("attached to VM {}: QEMU pid {}", sandboxId, vm.qemu.pid());
        }
        return vm;
    }

    @Override
    public synchronized void createVM(String sandboxId, HypervisorConfig config, Path runDir) {
        requireState(State.NEW, "createVM");
        if (sandboxId == null || sandboxId.isBlank()) {
            throw new HypervisorException("sandbox id is empty");
        }
        RunDir dir = new RunDir(runDir);
        ConfigValidator.validate(config, dir);
        Accelerator chosen = probe.choose(config).accelerator();
        try {
            createdRunDir = !Files.isDirectory(runDir);
            Files.createDirectories(runDir);
        } catch (IOException e) {
            throw new HypervisorException("cannot create run directory " + runDir + ": " + e.getMessage(), e);
        }
        this.sandboxId = sandboxId;
        this.config = config;
        this.runDir = dir;
        this.accelerator = chosen;
        state = State.CREATED;
    }

    @Override
    public synchronized void networkNamespace(Path netns) {
        requireState(State.CREATED, "networkNamespace");
        if (!Files.exists(netns)) {
            throw new HypervisorException("network namespace " + netns + " does not exist");
        }
        this.netns = netns;
    }

    @Override
    public synchronized void bootToBeTemplate(VmTemplate template) {
        requireState(State.CREATED, "bootToBeTemplate");
        this.templateRole = LaunchSpec.TemplateRole.TO_BE_TEMPLATE;
        this.template = template;
    }

    @Override
    public synchronized void bootFromTemplate(VmTemplate template) {
        requireState(State.CREATED, "bootFromTemplate");
        for (Path file : List.of(template.stateFile(), template.memoryFile())) {
            if (!Files.isRegularFile(file)) {
                throw new HypervisorException("VM template " + template.dir() + " has no " + file.getFileName() + " file");
            }
        }
        this.templateRole = LaunchSpec.TemplateRole.FROM_TEMPLATE;
        this.template = template;
    }

    @Override
    public synchronized void saveVM() {
        requireState(State.RUNNING, "saveVM");
        if (templateRole != LaunchSpec.TemplateRole.TO_BE_TEMPLATE) {
            throw new HypervisorException("VM " + sandboxId + " was not started to be a template");
        }
        try {
            VmMigration.save(qemu.qmp(), template);
        } catch (QmpException e) {
            throw new HypervisorException("saving VM " + sandboxId + " failed: " + e.getMessage(), e);
        }
        LOG.info("VM {} saved as template {}", sandboxId, template.dir());
    }

    @Override
    public synchronized void addDevice(Device device) {
        requireState(State.CREATED, "addDevice");
        ConfigValidator.validateDevice(device, config);
        if (devices.stream().anyMatch(d -> d.id().equals(device.id()))) {
            throw new HypervisorException("device id " + device.id() + " is already in use");
        }
        ColdPlugArgs.of(device, spec(List.of(device))); // fails now, not at start, for a device this machine cannot take
        devices.add(device);
    }

    @Override
    public synchronized void startVM(Duration timeout) {
        requireState(State.CREATED, "startVM");
        long started = System.nanoTime();
        LaunchSpec spec = spec(devices);
        try {
            if (templateRole != LaunchSpec.TemplateRole.NONE) {
                requireTemplatable(spec);
            }
            startVirtiofsDaemons(spec, timeout);
            qemu = QemuProcess.launch(argv(spec), runDir, timeout);
            if (templateRole == LaunchSpec.TemplateRole.FROM_TEMPLATE) {
                resume(qemu);
            }
        } catch (RuntimeException e) {
            daemons.forEach(VirtiofsDaemon::stop);
            daemons.clear();
            RunDirCleanup.afterFailedStart(runDir, createdRunDir);
            throw e instanceof HypervisorException he ? he
                    : new HypervisorException("start of VM " + sandboxId + " failed: " + e.getMessage(), e);
        }
        qemu.exited().whenComplete((status, error) -> {
            LOG.info("QEMU of VM {} exited with status {}", sandboxId, status);
            exited.complete(status);
        });
        hotplugger = new Hotplugger(qemu.qmp(), spec.machine(), spec.hotplugPorts());
        state = State.RUNNING;
        LOG.info("VM {} {}: QEMU pid {}, {} {}, after {} ms", sandboxId,
                templateRole == LaunchSpec.TemplateRole.FROM_TEMPLATE ? "resumed from template " + template.dir() : "started",
                qemu.pid(), spec.machine().qemuName(), accelerator.qemuName(), (System.nanoTime() - started) / 1_000_000);
    }

    /**
     * What a template cannot carry: a vsock device (the guest keeps the context id it booted with),
     * vhost-user devices (QEMU 7.2 cannot migrate virtio-fs) and devices a clone does not share
     * with its template (NICs, disks, VFIO: those are hot-plugged into the clone).
     */
    private void requireTemplatable(LaunchSpec spec) {
        if (spec.agentOverVsock()) {
            throw new HypervisorException("a VM whose agent is on vsock cannot use a VM template");
        }
        for (Device device : spec.devices()) {
            if (!(device instanceof Device.SharedDirectory dir) || spec.fsOf(dir) != Device.SharedFs.VIRTIO_9P) {
                throw new HypervisorException("device " + device.id() + " (" + device.getClass().getSimpleName()
                        + (device instanceof Device.SharedDirectory dir ? " over " + spec.fsOf(dir) : "")
                        + ") cannot be part of a VM template");
            }
        }
    }

    /** A clone that cannot take the template's state exits; it is killed in any case and the log says why. */
    private void resume(QemuProcess clone) {
        try {
            VmMigration.restore(clone.qmp(), template, clone::isAlive);
        } catch (RuntimeException e) {
            clone.shutdown(Duration.ZERO);
            clone.close();
            throw new HypervisorException("VM " + sandboxId + " cannot resume template " + template.dir() + ": "
                    + e.getMessage() + "; QEMU said: " + Files2.tail(runDir.qemuLog()), e);
        }
    }

    @Override
    public synchronized void stopVM(Duration grace) {
        if (cleanedUp) {
            return;
        }
        daemons.forEach(VirtiofsDaemon::expectExit);
        if (qemu != null) {
            qemu.shutdown(grace);
            qemu.close();
            awaitExitedReported();
            LOG.info("VM {} stopped (QEMU pid {})", sandboxId, qemu.pid());
        }
        daemons.forEach(VirtiofsDaemon::stop);
        daemons.clear();
        if (runDir != null) {
            RunDirCleanup.afterStop(runDir);
            if (createdRunDir && qemu == null) {
                Files2.deleteQuietly(runDir.path()); // only when empty: a VM that never ran leaves no trace
            }
        }
        state = State.STOPPED;
        cleanedUp = true;
    }

    @Override
    public synchronized void pauseVM() {
        qmp("stop", "pause");
    }

    @Override
    public synchronized void resumeVM() {
        qmp("cont", "resume");
    }

    @Override
    public synchronized HotplugResult hotplugAddDevice(Device device) {
        requireState(State.RUNNING, "hotplugAddDevice");
        ConfigValidator.validateDevice(device, config);
        return hotplugger().add(device);
    }

    @Override
    public synchronized void hotplugRemoveDevice(Device device) {
        requireState(State.RUNNING, "hotplugRemoveDevice");
        hotplugger().remove(device);
    }

    @Override
    public synchronized List<Long> pids() {
        List<Long> pids = new ArrayList<>();
        if (qemu != null && qemu.isAlive()) {
            pids.add(qemu.pid());
        }
        daemons.forEach(d -> pids.add(d.pid()));
        return List.copyOf(pids);
    }

    @Override
    public synchronized Capabilities capabilities() {
        boolean pci = config == null || MachineType.parse(config.machineType()).hasPci();
        return new Capabilities(pci, false, true, Files.exists(Path.of("/dev/vhost-vsock")));
    }

    @Override
    public synchronized AgentChannel agentChannel() {
        if (config != null && "vsock".equals(config.agentTransport())) {
            return new AgentChannel.Vsock(vsockCid(), AGENT_VSOCK_PORT);
        }
        return new AgentChannel.SerialSocket(runDir.agentSocket());
    }

    @Override
    public CompletableFuture<Integer> exited() {
        return exited;
    }

    /** The accelerator chosen at {@link #createVM}. */
    public synchronized Accelerator accelerator() {
        return accelerator;
    }

    /** Exit is reported on another thread; callers of stopVM may rely on {@link #exited} being done. */
    private void awaitExitedReported() {
        try {
            exited.get(5, TimeUnit.SECONDS);
        } catch (TimeoutException | ExecutionException e) {
            LOG.warn("exit of QEMU pid {} of VM {} not reported: {}", qemu.pid(), sandboxId, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private LaunchSpec spec(List<Device> deviceList) {
        int ports = Integer.parseInt(config.annotations().getOrDefault(HOTPLUG_PORTS, Integer.toString(DEFAULT_HOTPLUG_PORTS)).strip());
        return new LaunchSpec(sandboxId, config, accelerator, runDir, deviceList, vsockCid(), ports, templateRole, template);
    }

    private List<String> argv(LaunchSpec spec) {
        List<String> argv = new ArrayList<>();
        if (netns != null) {
            argv.addAll(List.of("nsenter", "--net=" + netns, "--"));
        }
        argv.addAll(QemuCommandLine.build(spec));
        return argv;
    }

    /** Context ids 0-2 are reserved; without a configured one, derive a stable one from the sandbox id. */
    private long vsockCid() {
        String configured = config.annotations().get(VSOCK_CID);
        if (configured != null) {
            return Long.parseLong(configured.strip());
        }
        return 3 + Integer.toUnsignedLong(sandboxId.hashCode()) % 0x7fff_fff0L;
    }

    private void startVirtiofsDaemons(LaunchSpec spec, Duration timeout) {
        for (Device device : spec.devices()) {
            if (device instanceof Device.SharedDirectory dir && spec.fsOf(dir) == Device.SharedFs.VIRTIO_FS) {
                daemons.add(VirtiofsDaemon.start(VirtiofsDaemon.binary(config), QemuIds.of("vfs", dir.id()),
                        dir.hostPath(), runDir, timeout));
            }
        }
    }

    private void qmp(String command, String operation) {
        requireState(State.RUNNING, operation);
        try {
            qemu.qmp().execute(command);
        } catch (QmpException e) {
            throw new HypervisorException(operation + " of VM " + sandboxId + " failed: " + e.getMessage(), e);
        }
    }

    private Hotplugger hotplugger() {
        if (hotplugger == null) {
            throw new HypervisorException("hotplug is not available on VM " + sandboxId + " attached from another process");
        }
        return hotplugger;
    }

    private void requireState(State expected, String operation) {
        if (state != expected) {
            throw new HypervisorException(operation + " needs a " + expected.name().toLowerCase() + " VM, but VM "
                    + (sandboxId == null ? "" : sandboxId + " ") + "is " + state.name().toLowerCase());
        }
    }
}
