package io.vcj.qemu;

import io.vcj.qemu.qmp.QmpException;
import io.vcj.vc.hypervisor.AgentChannel;
import io.vcj.vc.hypervisor.Capabilities;
import io.vcj.vc.hypervisor.Device;
import io.vcj.vc.hypervisor.HotplugResult;
import io.vcj.vc.hypervisor.Hypervisor;
import io.vcj.vc.hypervisor.HypervisorConfig;
import io.vcj.vc.hypervisor.HypervisorException;
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
 * on q35, default {@value #DEFAULT_HOTPLUG_PORTS}), {@value #VSOCK_CID} (the guest context id when
 * the agent transport is vsock) and {@value #NETNS} (a network namespace path QEMU is started in,
 * so it can open the sandbox's tap devices).
 */
public final class QemuHypervisor implements Hypervisor {

    public static final String HOTPLUG_PORTS = "io.vcj.qemu.hotplug_ports";
    public static final String VSOCK_CID = "io.vcj.qemu.vsock_cid";
    public static final String NETNS = "io.vcj.qemu.netns";
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
            startVirtiofsDaemons(spec, timeout);
            qemu = QemuProcess.launch(argv(spec), runDir, timeout);
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
        LOG.info("VM {} started: QEMU pid {}, {} {}, QMP ready after {} ms", sandboxId, qemu.pid(),
                spec.machine().qemuName(), accelerator.qemuName(), (System.nanoTime() - started) / 1_000_000);
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
        return new LaunchSpec(sandboxId, config, accelerator, runDir, deviceList, vsockCid(), ports);
    }

    private List<String> argv(LaunchSpec spec) {
        List<String> argv = new ArrayList<>();
        String netns = config.annotations().get(NETNS);
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
