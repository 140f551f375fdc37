package io.vcj.shim.task;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vcj.shim.io.ProcessStdio;
import io.vcj.vc.ContainerStats;
import io.vcj.vc.ExitStatus;
import io.vcj.vc.State;
import io.vcj.vc.VcException;
import io.vcj.vc.VirtContainers;
import io.vcj.vc.config.Cmd;
import io.vcj.vc.config.ContainerConfig;
import io.vcj.vc.config.ContainerResources;
import io.vcj.vc.config.Mount;
import io.vcj.vc.config.OciProcess;
import io.vcj.vc.config.OciSpecs;
import io.vcj.vc.config.Rootfs;
import io.vcj.vc.config.SandboxConfig;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The tasks of this shim and what can be done to them, over virtcontainers: one VM per pod, made
 * when the pod's first container is created and taken down when that container ends. Protocol-free:
 * failures are {@link VcException}s (NotFound, FailedPrecondition...) for the service to map.
 *
 * <p>Each task's operations run under the task's lock; only waiting does not.
 */
final class Tasks {
    private static final Logger log = LogManager.getLogger(Tasks.class);
    private static final int SIGKILL = 9;
    private static final int SIGTERM = 15;
    /** The exit status of a process that could not be started: it never ran. */
    private static final int FAILED_START = 255;

    private final VirtContainers vc;
    private final SandboxConfigFactory sandboxConfigs;
    private final TaskEvents events;
    private final Runnable shutdown;
    private final Map<String, Task> tasks = new ConcurrentHashMap<>();
    private final AtomicBoolean shutDown = new AtomicBoolean();
    private final ObjectMapper json = new ObjectMapper();

    Tasks(VirtContainers vc, SandboxConfigFactory sandboxConfigs, TaskEvents events, Runnable shutdown) {
        this.vc = vc;
        this.sandboxConfigs = sandboxConfigs;
        this.events = events;
        this.shutdown = shutdown;
    }

    /** What containerd asks of a new task. */
    record CreateRequest(String id, Path bundle, List<Mount> rootfs, boolean terminal, String stdin, String stdout,
                         String stderr) {
    }

    /** What containerd asks of a new exec. */
    record ExecRequest(String id, String execId, boolean terminal, String stdin, String stdout, String stderr,
                       ObjectNode process) {
    }

    // ---- lifecycle

    Task create(CreateRequest request) throws IOException {
        if (tasks.containsKey(request.id())) {
            throw new VcException.AlreadyExists("task " + request.id() + " already exists");
        }
        ObjectNode spec = readSpec(request.bundle());
        Map<String, String> annotations = OciSpecs.annotations(spec);
        PodMembership pod = PodMembership.of(request.id(), annotations);
        Optional<Rootfs.BlockDevice> blockRootfs = BlockDeviceRootfs.of(request.rootfs());
        BundleRootfs rootfs = BundleRootfs.mount(request.bundle(),
                blockRootfs.isPresent() ? List.of() : request.rootfs());
        ProcessStdio stdio = null;
        try {
            stdio = ProcessStdio.open(request.id(), request.stdin(), request.stdout(), request.stderr(),
                    request.terminal());
            Rootfs containerRootfs = blockRootfs.isPresent() ? blockRootfs.get()
                    : request.rootfs().isEmpty() ? OciSpecs.bundleRootfs(request.bundle(), spec)
                    : new Rootfs.HostPath(rootfs.path());
            ContainerConfig container = OciSpecs.containerConfig(request.id(), containerRootfs, spec,
                    !request.stdin().isEmpty());
            createContainer(pod, request, spec, annotations, container);
            long pid = vc.statusContainer(pod.sandboxId(), request.id()).pid();
            var init = new TaskProcess(request.id(), "", null, pid, new TaskProcess.Stdio(request.stdin(),
                    request.stdout(), request.stderr(), request.terminal(), stdio));
            var task = new Task(request.id(), request.bundle(), pod, rootfs, init);
            tasks.put(task.id(), task);
            log.info("task {} created in sandbox {}", task.id(), pod.sandboxId());
            events.created(task, request.rootfs());
            return task;
        } catch (IOException | RuntimeException e) {
            if (stdio != null) {
                stdio.close();
            }
            rootfs.unmount();
            throw e;
        }
    }

    private void createContainer(PodMembership pod, CreateRequest request, ObjectNode spec,
                                 Map<String, String> annotations, ContainerConfig container) {
        if (!pod.createsSandbox()) {
            vc.createContainer(pod.sandboxId(), container);
            return;
        }
        SandboxConfig sandbox = sandboxConfigs.create(pod.sandboxId(), request.bundle(), spec, annotations);
        try {
            vc.createSandbox(withContainer(sandbox, container));
        } catch (VcException e) {
            forgetSandbox(pod.sandboxId(), e);
            throw e;
        }
    }

    private static SandboxConfig withContainer(SandboxConfig s, ContainerConfig container) {
        return new SandboxConfig(s.id(), s.hostname(), s.vm(), s.hypervisorType(), s.hypervisorConfig(),
                s.agentType(), s.agentConfig(), s.network(), s.dns(), s.volumes(), List.of(container),
                s.annotations());
    }

    /**
     * Starts the init process (bringing up the pod's containers if it made the VM) or an exec. A process
     * that fails to start has ended, as with runc: it can be deleted, and its waiters learn it.
     */
    TaskProcess start(String id, String execId) {
        Task task = task(id);
        synchronized (task) {
            TaskProcess process = task.process(execId);
            process.require(TaskProcess.Phase.CREATED, "start");
            long pid;
            try {
                pid = launch(task, process);
            } catch (RuntimeException e) {
                // It will never write: ctr, reading its output FIFOs, must see them end.
                process.stdio().copies().close();
                var status = new ExitStatus(FAILED_START, Instant.now());
                if (process.exited(status)) {
                    events.exited(process, status);
                }
                throw e;
            }
            process.stdio().copies().attach(vc.processIo(task.sandboxId(), id, process.vcExecId()));
            process.started(pid);
            events.started(process);
            ExitWatcher.watch(process.toString(), () -> awaitExit(task, process));
            log.info("process {} started (host pid {})", process, pid);
            return process;
        }
    }

    /** Runs the process in the VM and returns its host pid. */
    private long launch(Task task, TaskProcess process) {
        if (!process.isInit()) {
            return vc.enterContainer(task.sandboxId(), task.id(), process.execId(), process.cmd()).pid();
        }
        if (task.pod().createsSandbox()) {
            vc.startSandbox(task.sandboxId());
            watchOomKills(task.sandboxId());
            return vc.statusContainer(task.sandboxId(), task.id()).pid();
        }
        return vc.startContainer(task.sandboxId(), task.id()).pid();
    }

    /** Publishes the guest's OOM kills, as Kata's shim does, until the sandbox stops or its VM dies. */
    private void watchOomKills(String sandboxId) {
        Thread.ofVirtual().name("oom-" + sandboxId).start(() -> {
            try {
                while (true) {
                    events.oomKilled(vc.awaitOomEvent(sandboxId));
                }
            } catch (VcException e) {
                log.debug("no more OOM events from sandbox {}: {}", sandboxId, e.getMessage());
            }
        });
    }

    /** Runs on the process's exit watcher: the exit counts once its output is all out. */
    private void awaitExit(Task task, TaskProcess process) throws InterruptedException {
        ExitStatus status;
        try {
            status = vc.waitProcess(task.sandboxId(), task.id(), process.vcExecId());
        } catch (VcException e) {
            log.warn("lost track of process {}: {}", process, e.getMessage());
            status = ExitStatus.vmDied();
        }
        log.debug("process {} ended in the VM; draining its output", process);
        process.stdio().copies().awaitOutput();
        if (process.isInit() && task.pod().createsSandbox()) {
            // As in Kata: the pod ends with its first container; the VM has nothing left to run.
            stopSandbox(task.sandboxId());
        }
        synchronized (task) {
            if (process.exited(status)) {
                log.info("process {} exited with status {}", process, status.code());
                events.exited(process, status);
            }
        }
    }

    Task delete(String id) {
        Task task = task(id);
        synchronized (task) {
            TaskProcess init = task.init();
            if (init.phase() == TaskProcess.Phase.RUNNING) {
                throw new VcException.FailedPrecondition("cannot delete task " + id + ": it is running");
            }
            removeFromVm(task);
            task.execs().forEach(exec -> exec.stdio().copies().close());
            init.stdio().copies().close();
            task.rootfs().unmount();
            tasks.remove(id);
            log.info("task {} deleted", id);
            events.deleted(init, init.finish());
            return task;
        }
    }

    private void removeFromVm(Task task) {
        if (task.pod().createsSandbox()) {
            stopSandbox(task.sandboxId());
            ignoringNotFound(() -> vc.deleteSandbox(task.sandboxId()));
        } else {
            ignoringNotFound(() -> {
                State state = vc.statusContainer(task.sandboxId(), task.id()).state();
                if (state == State.RUNNING || state == State.PAUSED) {
                    vc.stopContainer(task.sandboxId(), task.id());
                }
                vc.deleteContainer(task.sandboxId(), task.id());
            });
        }
    }

    TaskProcess deleteExec(String id, String execId) {
        Task task = task(id);
        synchronized (task) {
            TaskProcess exec = task.process(execId);
            if (exec.phase() == TaskProcess.Phase.RUNNING) {
                throw new VcException.FailedPrecondition("cannot delete exec " + exec + ": it is running");
            }
            if (exec.stdio().copies().attached()) {
                ignoringNotFound(() -> vc.deleteProcess(task.sandboxId(), id, execId));
            }
            exec.stdio().copies().close();
            exec.finish();
            task.removeExec(execId);
            return exec;
        }
    }

    TaskProcess exec(ExecRequest request) throws IOException {
        Task task = task(request.id());
        synchronized (task) {
            TaskProcess init = task.init();
            init.require(TaskProcess.Phase.RUNNING, "exec in");
            request.process().put("terminal", request.terminal());
            Cmd cmd = OciProcess.toCmd(request.process(), !request.stdin().isEmpty());
            String name = request.id() + "/" + request.execId();
            ProcessStdio stdio = ProcessStdio.open(name, request.stdin(), request.stdout(), request.stderr(),
                    request.terminal());
            var exec = new TaskProcess(request.id(), request.execId(), cmd, init.pid(), new TaskProcess.Stdio(
                    request.stdin(), request.stdout(), request.stderr(), request.terminal(), stdio));
            try {
                task.addExec(exec);
            } catch (VcException e) {
                stdio.close();
                throw e;
            }
            events.execAdded(exec);
            return exec;
        }
    }

    // ---- signals and state

    void kill(String id, String execId, int signal, boolean all) {
        Task task = task(id);
        synchronized (task) {
            TaskProcess process = task.process(execId);
            switch (process.phase()) {
                case STOPPED -> alreadyExited(process, signal);
                case CREATED -> killCreated(task, process, signal);
                case RUNNING -> {
                    try {
                        vc.signalProcess(task.sandboxId(), id, process.vcExecId(), signal, all);
                    } catch (VcException.NotFound e) {
                        alreadyExited(process, signal);
                    }
                }
            }
        }
    }

    // As in Kata: stopping what already stopped is done (CRI kills before it removes), anything else
    // is refused like runc's "process already finished".
    private static void alreadyExited(TaskProcess process, int signal) {
        if (signal != SIGKILL && signal != SIGTERM) {
            throw new VcException.NotFound("process " + process + " already finished");
        }
    }

    /**
     * A created init ends with the signal, its guest side signalled. A created exec refuses it, as
     * runc's shim does ("process not created"): ctr task exec starts it next and waits for its exit.
     */
    private void killCreated(Task task, TaskProcess process, int signal) {
        if (!process.isInit()) {
            throw new VcException.FailedPrecondition("process " + process + " is not started");
        }
        ignoringNotFound(() -> vc.signalProcess(task.sandboxId(), task.id(), task.id(), signal, false));
        var status = new ExitStatus(128 + signal, Instant.now());
        if (process.exited(status)) {
            events.exited(process, status);
        }
    }

    void pause(String id) {
        Task task = task(id);
        synchronized (task) {
            task.init().require(TaskProcess.Phase.RUNNING, "pause");
            vc.pauseContainer(task.sandboxId(), id);
            task.setPaused(true);
            events.paused(task);
        }
    }

    void resume(String id) {
        Task task = task(id);
        synchronized (task) {
            if (!task.paused()) {
                throw new VcException.FailedPrecondition("cannot resume task " + id + ": it is not paused");
            }
            vc.resumeContainer(task.sandboxId(), id);
            task.setPaused(false);
            events.resumed(task);
        }
    }

    void closeStdin(String id, String execId) {
        task(id).process(execId).stdio().copies().closeStdin();
    }

    void resizePty(String id, String execId, int width, int height) {
        TaskProcess process = task(id).process(execId);
        if (!process.stdio().copies().attached()) {
            throw new VcException.FailedPrecondition("process " + process + " has not started");
        }
        process.stdio().copies().resize(width, height);
        log.debug("terminal of {} resized to {}x{}", process, width, height);
    }

    void update(String id, ContainerResources resources) {
        Task task = task(id);
        vc.updateContainer(task.sandboxId(), id, resources);
    }

    ContainerStats stats(String id) {
        Task task = task(id);
        return vc.statsContainer(task.sandboxId(), id);
    }

    ExitStatus await(String id, String execId) throws InterruptedException {
        return task(id).process(execId).awaitExit();
    }

    TaskProcess process(String id, String execId) {
        return task(id).process(execId);
    }

    Task task(String id) {
        return find(id).orElseThrow(() -> new VcException.NotFound("task " + id + " not found"));
    }

    Optional<Task> find(String id) {
        return Optional.ofNullable(tasks.get(id));
    }

    /** Shuts the shim down if no task is left; false (and nothing happens) otherwise. */
    boolean shutdownIfIdle() {
        if (!tasks.isEmpty()) {
            return false;
        }
        if (shutDown.compareAndSet(false, true)) {
            shutdown.run();
        }
        return true;
    }

    // ---- helpers

    private ObjectNode readSpec(Path bundle) throws IOException {
        if (!(json.readTree(bundle.resolve("config.json").toFile()) instanceof ObjectNode spec)) {
            throw new VcException.InvalidArgument(bundle.resolve("config.json") + " is not a JSON object");
        }
        return spec;
    }

    private void stopSandbox(String sandboxId) {
        try {
            if (vc.statusSandbox(sandboxId).state() != State.STOPPED) {
                vc.stopSandbox(sandboxId);
            }
        } catch (VcException e) {
            log.warn("cannot stop sandbox {}: {}", sandboxId, e.getMessage());
        }
    }

    private void forgetSandbox(String sandboxId, VcException cause) {
        try {
            vc.deleteSandbox(sandboxId);
        } catch (VcException e) {
            cause.addSuppressed(e);
        }
    }

    private static void ignoringNotFound(Runnable action) {
        try {
            action.run();
        } catch (VcException.NotFound e) {
            log.debug("already gone: {}", e.getMessage());
        }
    }
}
