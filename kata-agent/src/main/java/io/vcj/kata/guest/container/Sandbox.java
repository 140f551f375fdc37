package io.vcj.kata.guest.container;

import io.vcj.kata.guest.fs.FileTrees;
import io.vcj.kata.guest.oci.GuestSpec;
import io.vcj.kata.guest.oci.OciJson;
import io.vcj.kata.guest.runc.Runc;
import io.vcj.kata.guest.runc.RuncException;
import io.vcj.kata.proto.LinuxResources;
import io.vcj.kata.proto.Process;
import io.vcj.kata.proto.Spec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The containers of the pod and their processes, run with runc. Knows nothing of the agent
 * protocol; {@code io.vcj.kata.guest.service} translates requests into these calls.
 */
public final class Sandbox {
    private static final Logger LOG = LogManager.getLogger(Sandbox.class);
    /** Ids become path names: no separators, no dot-dot. */
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");
    private static final int SIGKILL = 9;
    private static final int SIGTERM = 15;

    private final Runc runc;
    private final ContainerPaths paths;
    private final Map<String, Container> containers = new ConcurrentHashMap<>();
    private final OomWatcher oomKills = new OomWatcher(Path.of("/sys/fs/cgroup"));

    public Sandbox(Runc runc, ContainerPaths paths) {
        this.runc = runc;
        this.paths = paths;
    }

    /** Writes the container's bundle; runc only learns of it at {@link #startContainer}. */
    public void createContainer(String id, Spec spec) throws IOException {
        checkId(id);
        if (!spec.hasProcess()) {
            throw new ContainerException(ContainerException.Reason.INVALID_ARGUMENT, "container " + id + " has no process");
        }
        Path rootfs = rootfs(id, spec);
        if (!Files.isDirectory(rootfs)) {
            throw new ContainerException(ContainerException.Reason.FAILED_PRECONDITION,
                    "rootfs of container " + id + " not found at " + rootfs);
        }
        Container container = new Container(id, paths.bundle(id), spec.getProcess());
        if (containers.putIfAbsent(id, container) != null) {
            throw new ContainerException(ContainerException.Reason.ALREADY_EXISTS, "container " + id + " exists");
        }
        try {
            Files.createDirectories(container.bundle);
            Spec guestSpec = GuestSpec.adapt(spec, rootfs, paths.cgroupsPath(id));
            Files.writeString(container.bundle.resolve("config.json"), OciJson.toJson(guestSpec));
        } catch (IOException | RuntimeException e) {
            containers.remove(id);
            throw e;
        }
        LOG.info("created container {}", id);
    }

    public void startContainer(String id) throws IOException {
        Container container = container(id);
        synchronized (container) {
            if (container.isStarted()) {
                throw new ContainerException(ContainerException.Reason.FAILED_PRECONDITION, "container " + id + " already started");
            }
            Path pidFile = freshPidFile(container.bundle.resolve("init.pid"));
            container.started(launch(container.initProcess, pidFile, terminal -> runc.run(id, container.bundle, pidFile, terminal)));
        }
        oomKills.watch(id, paths.cgroupsPath(id));
        LOG.info("started container {}", id);
    }

    /** Blocks until the OOM killer has killed a process of some container, and returns its id. */
    public String nextOomKill() throws InterruptedException {
        return oomKills.next();
    }

    public void execProcess(String id, String execId, Process process) throws IOException {
        checkId(execId);
        Container container = container(id);
        if (!container.isStarted()) {
            throw new ContainerException(ContainerException.Reason.FAILED_PRECONDITION, "container " + id + " is not started");
        }
        synchronized (container) {
            container.checkExecIdFree(execId);
            Path processJson = container.bundle.resolve("exec-" + execId + ".json");
            Files.writeString(processJson, OciJson.toJson(forGuest(process)));
            Path pidFile = freshPidFile(container.bundle.resolve("exec-" + execId + ".pid"));
            container.addExec(execId, launch(process, pidFile, terminal -> runc.exec(id, processJson, pidFile, terminal)));
        }
        LOG.info("exec {} started in container {}", execId, id);
    }

    /**
     * Signalling a process that has already exited does nothing, as there is nothing left to signal.
     *
     * <p>As the kata agent does, SIGTERM to a container's init that has no handler for it becomes
     * SIGKILL: the init of a pid namespace ignores unhandled signals, so SIGTERM (what
     * {@code ctr task kill} sends) would otherwise never stop {@code sleep}. SIGKILL to the init
     * goes to every process of the container, which covers containers without a pid namespace.
     */
    public void signalProcess(String id, String execId, int signal) {
        ContainerProcess process = process(id, execId);
        if (process.hasExited()) {
            return;
        }
        if (execId.isEmpty()) {
            int effective = signal == SIGTERM && !Signals.isCaught(process.pid(), SIGTERM) ? SIGKILL : signal;
            try {
                runc.kill(id, effective, effective == SIGKILL);
            } catch (RuncException e) {
                if (!e.isNotFound()) {
                    throw e;
                }
            }
        } else {
            Signals.send(process.pid(), signal);
        }
    }

    public void resizeTerminal(String id, String execId, int rows, int columns) throws IOException {
        process(id, execId).resize(rows, columns);
    }

    /** Blocks until the process exits; its status, 128+n if signal n killed it. */
    public int waitProcess(String id, String execId) throws InterruptedException {
        return process(id, execId).waitFor();
    }

    /** The process, for its stdio. */
    public ContainerProcess process(String id, String execId) {
        return container(id).process(execId);
    }

    public void pauseContainer(String id) {
        runc.pause(startedContainer(id).id);
    }

    public void resumeContainer(String id) {
        runc.resume(startedContainer(id).id);
    }

    public void updateContainer(String id, LinuxResources resources) {
        runc.update(startedContainer(id).id, OciJson.toJson(resources));
    }

    /** runc's stats sample for the container (see {@link Runc#stats}). */
    public Map<String, Object> stats(String id) {
        return runc.stats(startedContainer(id).id);
    }

    public List<Long> pids(String id) {
        return runc.ps(startedContainer(id).id);
    }

    /** Kills whatever still runs in the container, waits for it, and forgets the container. */
    public void removeContainer(String id) throws IOException, InterruptedException {
        Container container = container(id);
        synchronized (container) {
            if (container.isStarted() && !container.process("").hasExited()) {
                try {
                    runc.kill(id, SIGKILL, true);
                } catch (RuncException e) {
                    if (!e.isNotFound()) {
                        throw e;
                    }
                }
            }
            for (ContainerProcess process : container.processes()) {
                process.waitFor();
                process.close();
            }
            oomKills.forget(id);
            runc.delete(id);
            FileTrees.delete(container.bundle);
            containers.remove(id);
        }
        LOG.info("removed container {}", id);
    }

    /** Removes every container; keeps going past failures so that nothing is left running. */
    public void destroy() {
        for (String id : List.copyOf(containers.keySet())) {
            try {
                removeContainer(id);
            } catch (IOException | RuntimeException e) {
                LOG.error("removing container {} failed", id, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * An absolute root path is where the host put the rootfs in the guest (the shared directory,
     * or a block device it had the agent mount); a relative one (as in a bundle's config.json)
     * means the shared directory's usual place.
     */
    private Path rootfs(String id, Spec spec) {
        String root = spec.getRoot().getPath();
        return root.startsWith("/") ? Path.of(root) : paths.rootfs(id);
    }

    /** Starts runc for {@code process}, on a new terminal if the process asks for one. */
    private interface Launcher {
        java.lang.Process start(Path terminal) throws IOException;
    }

    private static ContainerProcess launch(Process process, Path pidFile, Launcher launcher) throws IOException {
        Pty pty = process.getTerminal() ? Pty.open() : null;
        try {
            if (pty != null && process.hasConsoleSize()) {
                pty.resize(process.getConsoleSize().getHeight(), process.getConsoleSize().getWidth());
            }
            return ContainerProcess.awaitStarted(launcher.start(pty == null ? null : pty.slave()), pidFile, pty);
        } catch (IOException | RuntimeException e) {
            if (pty != null) {
                pty.close();
            }
            throw e;
        }
    }

    private Container container(String id) {
        Container container = containers.get(id);
        if (container == null) {
            throw new ContainerException(ContainerException.Reason.NOT_FOUND, "no container " + id);
        }
        return container;
    }

    private Container startedContainer(String id) {
        Container container = container(id);
        if (!container.isStarted()) {
            throw new ContainerException(ContainerException.Reason.FAILED_PRECONDITION, "container " + id + " is not started");
        }
        return container;
    }

    private static Process forGuest(Process process) {
        Process.Builder p = process.toBuilder().clearApparmorProfile().clearSelinuxLabel();
        if (p.getCwd().isEmpty()) {
            p.setCwd("/");
        }
        return p.build();
    }

    private static void checkId(String id) {
        if (!ID.matcher(id).matches()) {
            throw new ContainerException(ContainerException.Reason.INVALID_ARGUMENT, "invalid id '" + id + "'");
        }
    }

    private static Path freshPidFile(Path pidFile) throws IOException {
        Files.deleteIfExists(pidFile);
        return pidFile;
    }
}
