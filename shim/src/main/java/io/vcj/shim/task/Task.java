package io.vcj.shim.task;

import io.vcj.vc.VcException;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A container containerd created through this shim: its init process and the processes exec'd into it. */
final class Task {
    private final String id;
    private final Path bundle;
    private final PodMembership pod;
    private final BundleRootfs rootfs;
    private final TaskProcess init;
    private final Map<String, TaskProcess> execs = new ConcurrentHashMap<>();
    private volatile boolean paused;

    Task(String id, Path bundle, PodMembership pod, BundleRootfs rootfs, TaskProcess init) {
        this.id = id;
        this.bundle = bundle;
        this.pod = pod;
        this.rootfs = rootfs;
        this.init = init;
    }

    String id() {
        return id;
    }

    Path bundle() {
        return bundle;
    }

    PodMembership pod() {
        return pod;
    }

    String sandboxId() {
        return pod.sandboxId();
    }

    BundleRootfs rootfs() {
        return rootfs;
    }

    TaskProcess init() {
        return init;
    }

    /** The init process for {@code ""}, else the exec; NotFound if there is no such exec. */
    TaskProcess process(String execId) {
        if (execId.isEmpty()) {
            return init;
        }
        TaskProcess exec = execs.get(execId);
        if (exec == null) {
            throw new VcException.NotFound("task " + id + " has no exec " + execId);
        }
        return exec;
    }

    void addExec(TaskProcess exec) {
        if (execs.putIfAbsent(exec.execId(), exec) != null) {
            throw new VcException.AlreadyExists("task " + id + " already has an exec " + exec.execId());
        }
    }

    void removeExec(String execId) {
        execs.remove(execId);
    }

    List<TaskProcess> execs() {
        return List.copyOf(execs.values());
    }

    boolean paused() {
        return paused;
    }

    void setPaused(boolean paused) {
        this.paused = paused;
    }
}
