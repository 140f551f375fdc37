package io.vcj.vc;

import io.vcj.vc.agent.AgentException;
import io.vcj.vc.agent.AgentFactory;
import io.vcj.vc.config.Cmd;
import io.vcj.vc.config.ContainerConfig;
import io.vcj.vc.config.ContainerResources;
import io.vcj.vc.config.Ids;
import io.vcj.vc.config.Rootfs;
import io.vcj.vc.config.SandboxConfig;
import io.vcj.vc.device.VfioDevices;
import io.vcj.vc.host.HostMounter;
import io.vcj.vc.host.SystemMounter;
import io.vcj.vc.hypervisor.HypervisorException;
import io.vcj.vc.network.NetworkSetup;
import io.vcj.vc.sandbox.Engine;
import io.vcj.vc.sandbox.Plugins;
import io.vcj.vc.store.ContainerRecord;
import io.vcj.vc.store.ExecRecord;
import io.vcj.vc.store.SandboxRecord;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The virtcontainers API: sandboxes (one VM each) and the containers in them.
 *
 * <p>State lives under a root directory, so any number of instances, in any number of processes,
 * see and drive the same sandboxes: a second instance can list, inspect, stop and delete what the
 * first created. Every failure is a {@link VcException} whose subtype tells why.
 *
 * <p>Processes are named by container id and exec id; a container's init process is named by the
 * container id or by {@code ""} (containerd's exec id for it).
 *
 * <pre>{@code
 * try (var vc = VirtContainers.builder()
 *         .hypervisor("qemu", QemuHypervisor::new)
 *         .agent("kata", KataAgent::new)
 *         .build()) {
 *     vc.runSandbox(config);
 *     ExitStatus exit = vc.waitProcess(config.id(), "web", "web");
 *     vc.stopSandbox(config.id());
 *     vc.deleteSandbox(config.id());
 * }
 * }</pre>
 */
public final class VirtContainers implements AutoCloseable {
    public static final Path DEFAULT_ROOT = Path.of("/run/vcj");

    private final Engine engine;

    private VirtContainers(Path root, Plugins plugins, Path templateRoot) {
        this.engine = new Engine(root, plugins, templateRoot);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Configures where state lives and which hypervisors, agents and network setup to use. */
    public static final class Builder {
        private Path root = DEFAULT_ROOT;
        private final Map<String, HypervisorFactory> hypervisors = new HashMap<>();
        private final Map<String, AgentFactory> agents = new HashMap<>();
        private NetworkSetup network = NetworkSetup.NONE;
        private HostMounter mounter = new SystemMounter();
        private VfioDevices vfio = VfioDevices.NONE;
        private Path templateRoot;

        private Builder() {
        }

        /** Where sandboxes' state and run directories live; default {@code /run/vcj}. */
        public Builder root(Path root) {
            this.root = root;
            return this;
        }

        /** Makes hypervisors for sandboxes whose config names {@code type}. */
        public Builder hypervisor(String type, HypervisorFactory factory) {
            hypervisors.put(type, factory);
            return this;
        }

        /** Makes agents for sandboxes whose config names {@code type}. */
        public Builder agent(String type, AgentFactory factory) {
            agents.put(type, factory);
            return this;
        }

        /** Connects sandboxes that have a network namespace; default: none is connected. */
        public Builder network(NetworkSetup network) {
            this.network = network;
            return this;
        }

        /** How container filesystems are mounted on the host; default mount(8). */
        public Builder mounter(HostMounter mounter) {
            this.mounter = mounter;
            return this;
        }

        /** Finds the host PCI functions behind containers' VFIO device nodes; default: none is passed through. */
        public Builder vfio(VfioDevices vfio) {
            this.vfio = vfio;
            return this;
        }

        /**
         * Starts sandboxes from VM templates kept in {@code dir} (Kata's VM templating): the first
         * sandbox of a kind boots and saves its VM, the next ones resume it; default: every sandbox
         * boots. A template costs the guest's used memory in {@code dir}, best a tmpfs.
         */
        public Builder vmTemplates(Path dir) {
            this.templateRoot = dir;
            return this;
        }

        public VirtContainers build() {
            if (hypervisors.isEmpty() || agents.isEmpty()) {
                throw new VcException.InvalidArgument("register at least one hypervisor and one agent type");
            }
            return new VirtContainers(root, new Plugins(hypervisors, agents, network, mounter, vfio), templateRoot);
        }
    }

    // ---- sandboxes

    /** Brings up the sandbox's VM and agent and creates its containers, without starting them. */
    public VCSandbox createSandbox(SandboxConfig config) {
        return call("create sandbox " + config.id(), () -> handle(engine.sandboxes().create(config)));
    }

    /** Starts the containers of a created sandbox. */
    public VCSandbox startSandbox(String sandboxId) {
        return call("start sandbox " + sandboxId, () -> handle(engine.sandboxes().start(id(sandboxId))));
    }

    /** {@link #createSandbox} then {@link #startSandbox}; a failed start deletes the sandbox again. */
    public VCSandbox runSandbox(SandboxConfig config) {
        createSandbox(config);
        try {
            return startSandbox(config.id());
        } catch (VcException e) {
            try {
                stopSandbox(config.id());
                deleteSandbox(config.id());
            } catch (VcException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    /** Kills the sandbox's containers and stops its VM. */
    public VCSandbox stopSandbox(String sandboxId) {
        return call("stop sandbox " + sandboxId, () -> handle(engine.sandboxes().stop(id(sandboxId))));
    }

    /** Removes a ready or stopped sandbox (stopping its VM if up) and all its state. */
    public void deleteSandbox(String sandboxId) {
        call("delete sandbox " + sandboxId, () -> {
            engine.sandboxes().delete(id(sandboxId));
            return null;
        });
    }

    public VCSandbox pauseSandbox(String sandboxId) {
        return call("pause sandbox " + sandboxId, () -> handle(engine.sandboxes().pause(id(sandboxId))));
    }

    public VCSandbox resumeSandbox(String sandboxId) {
        return call("resume sandbox " + sandboxId, () -> handle(engine.sandboxes().resume(id(sandboxId))));
    }

    public List<SandboxStatus> listSandbox() {
        return call("list sandboxes", () -> engine.sandboxes().list().stream().map(VirtContainers::status).toList());
    }

    public SandboxStatus statusSandbox(String sandboxId) {
        return call("status of sandbox " + sandboxId, () -> status(engine.sandboxes().load(id(sandboxId))));
    }

    /** A handle on an existing sandbox; NotFound if there is none. */
    public VCSandbox sandbox(String sandboxId) {
        return call("find sandbox " + sandboxId, () -> handle(engine.sandboxes().load(id(sandboxId))));
    }

    void setSandboxAnnotations(String sandboxId, Map<String, String> annotations) {
        call("annotate sandbox " + sandboxId, () -> engine.sandboxes().setAnnotations(id(sandboxId), annotations));
    }

    // ---- containers

    /** Creates a container in a ready or running sandbox, without starting it. */
    public VCContainer createContainer(String sandboxId, ContainerConfig config) {
        return call("create container " + config.id(), () -> {
            engine.containers().create(id(sandboxId), config);
            return new Handles.Container(this, sandboxId, config.id());
        });
    }

    /** Starts a created container's process; the sandbox must be running. */
    public VCContainer startContainer(String sandboxId, String containerId) {
        return call("start container " + containerId, () -> {
            engine.containers().start(id(sandboxId), Ids.require("container id", containerId));
            return new Handles.Container(this, sandboxId, containerId);
        });
    }

    /** Kills all processes of a running container and waits until it has stopped. */
    public VCContainer stopContainer(String sandboxId, String containerId) {
        return call("stop container " + containerId, () -> {
            engine.containers().stop(id(sandboxId), Ids.require("container id", containerId));
            return new Handles.Container(this, sandboxId, containerId);
        });
    }

    /** Removes a created or stopped container from the guest and the host. */
    public void deleteContainer(String sandboxId, String containerId) {
        call("delete container " + containerId, () -> {
            engine.containers().delete(id(sandboxId), Ids.require("container id", containerId));
            return null;
        });
    }

    /** Runs {@code cmd} in a running container under a generated exec id. */
    public Process enterContainer(String sandboxId, String containerId, Cmd cmd) {
        return enterContainer(sandboxId, containerId, "exec-" + UUID.randomUUID(), cmd);
    }

    /** Runs {@code cmd} in a running container as process {@code execId} (unique in the container). */
    public Process enterContainer(String sandboxId, String containerId, String execId, Cmd cmd) {
        return call("run a process in container " + containerId,
                () -> engine.processes().exec(id(sandboxId), containerId, execId, cmd));
    }

    public ContainerStatus statusContainer(String sandboxId, String containerId) {
        return call("status of container " + containerId, () -> {
            SandboxRecord record = engine.sandboxes().load(id(sandboxId));
            return status(record, record.container(containerId).orElseThrow(() -> new VcException.NotFound(
                    "container '" + containerId + "' not found in sandbox '" + sandboxId + "'")));
        });
    }

    /** A process of the container: its init process ({@code ""} or the container id) or an entered one. */
    public ProcessStatus statusProcess(String sandboxId, String containerId, String execId) {
        return call("status of process " + containerId + "/" + execId, () -> {
            ContainerStatus container = statusContainer(sandboxId, containerId);
            if (execId == null || execId.isEmpty() || execId.equals(containerId)) {
                return new ProcessStatus(containerId, container.state(), container.pid(), container.startTime(),
                        container.exitStatus());
            }
            ExecRecord exec = engine.sandboxes().load(id(sandboxId)).container(containerId)
                    .flatMap(c -> c.exec(execId))
                    .orElseThrow(() -> new VcException.NotFound("process '" + execId + "' not found in container '"
                            + containerId + "'"));
            State state = exec.exitStatus() == null ? State.RUNNING : State.STOPPED;
            return new ProcessStatus(execId, state, container.pid(), exec.startTime(), exec.exitStatus());
        });
    }

    /** Signals the container's init process, or all its processes. NotFound once it has exited. */
    public void killContainer(String sandboxId, String containerId, int signal, boolean all) {
        signalProcess(sandboxId, containerId, containerId, signal, all);
    }

    /** Signals one process of the container (its init process has the container id as exec id). */
    public void signalProcess(String sandboxId, String containerId, String execId, int signal, boolean all) {
        call("signal process " + containerId + "/" + execId,
                () -> {
                    engine.processes().signal(id(sandboxId), containerId, execId, signal, all);
                    return null;
                });
    }

    /**
     * Blocks until a container of the sandbox has had a process killed by the guest's OOM killer and
     * returns the container's id (Kata's GetOOMEvent). Fails once the sandbox stops or its VM dies,
     * so a watcher loop ends with it.
     */
    public String awaitOomEvent(String sandboxId) {
        return call("wait for an OOM event in sandbox " + sandboxId, () -> engine.sandboxes().awaitOom(id(sandboxId)));
    }

    public ProcessList processListContainer(String sandboxId, String containerId, ProcessListOptions options) {
        return call("list the processes of container " + containerId,
                () -> ProcessList.of(engine.containers().processes(id(sandboxId), containerId), options));
    }

    /** Blocks until the process exits (or its VM dies: {@link ExitStatus#VM_DIED}), and returns how. */
    public ExitStatus waitProcess(String sandboxId, String containerId, String execId) {
        return call("wait for process " + containerId + "/" + execId,
                () -> engine.processes().await(id(sandboxId), containerId, execId));
    }

    /** The stdin, stdout, stderr and terminal of a process. */
    public ProcessIo processIo(String sandboxId, String containerId, String execId) {
        return call("stdio of process " + containerId + "/" + execId,
                () -> engine.processes().io(id(sandboxId), containerId, execId));
    }

    /** Forgets an exited process that was entered into a container. */
    public void deleteProcess(String sandboxId, String containerId, String execId) {
        call("delete process " + containerId + "/" + execId, () -> {
            engine.processes().delete(id(sandboxId), containerId, execId);
            return null;
        });
    }

    public VCContainer pauseContainer(String sandboxId, String containerId) {
        return call("pause container " + containerId, () -> {
            engine.containers().pause(id(sandboxId), containerId);
            return new Handles.Container(this, sandboxId, containerId);
        });
    }

    public VCContainer resumeContainer(String sandboxId, String containerId) {
        return call("resume container " + containerId, () -> {
            engine.containers().resume(id(sandboxId), containerId);
            return new Handles.Container(this, sandboxId, containerId);
        });
    }

    public void updateContainer(String sandboxId, String containerId, ContainerResources resources) {
        call("update container " + containerId, () -> {
            engine.containers().update(id(sandboxId), containerId, resources);
            return null;
        });
    }

    public ContainerStats statsContainer(String sandboxId, String containerId) {
        return call("stats of container " + containerId, () -> engine.containers().stats(id(sandboxId), containerId));
    }

    /** Drops this instance's agent connections; VMs keep running for other instances to drive. */
    @Override
    public void close() {
        engine.close();
    }

    // ---- helpers

    private VCSandbox handle(SandboxRecord record) {
        return new Handles.Sandbox(this, record.id());
    }

    private static String id(String sandboxId) {
        return Ids.require("sandbox id", sandboxId);
    }

    /** Runs an operation, turning failures of the layers below into {@link VcException}s. */
    private static <T> T call(String what, Supplier<T> operation) {
        try {
            return operation.get();
        } catch (VcException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new VcException.InvalidArgument("cannot " + what + ": " + e.getMessage());
        } catch (HypervisorException | AgentException | UncheckedIOException | IllegalStateException e) {
            throw new VcException.Unavailable("cannot " + what + ": " + e.getMessage(), e);
        }
    }

    private static SandboxStatus status(SandboxRecord record) {
        return new SandboxStatus(record.id(), record.state(), record.config().hypervisorType(),
                record.config().agentType(), record.vmPids(), record.annotations(),
                record.containers().stream().map(c -> status(record, c)).toList());
    }

    private static ContainerStatus status(SandboxRecord sandbox, ContainerRecord container) {
        long pid = sandbox.vmPids().isEmpty() ? 0 : sandbox.vmPids().getFirst();
        return new ContainerStatus(container.id(), container.state(), pid, container.startTime(),
                describe(container.config().rootfs()), container.config().annotations(), container.exitStatus());
    }

    private static String describe(Rootfs rootfs) {
        return switch (rootfs) {
            case Rootfs.HostPath(Path path) -> path.toString();
            case Rootfs.BlockDevice(Path device, String fsType, var options) -> device.toString();
            case Rootfs.Mounts(var mounts) -> mounts.getFirst().source();
        };
    }
}
