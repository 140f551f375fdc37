package io.vcj.kata.guest.container;

import io.vcj.kata.proto.Process;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** One container's bookkeeping: its bundle, its init process once started, and its exec'd processes. */
final class Container {
    final String id;
    final Path bundle;
    final Process initProcess;
    private volatile ContainerProcess init;
    private final Map<String, ContainerProcess> execs = new ConcurrentHashMap<>();

    Container(String id, Path bundle, Process initProcess) {
        this.id = id;
        this.bundle = bundle;
        this.initProcess = initProcess;
    }

    boolean isStarted() {
        return init != null;
    }

    void started(ContainerProcess process) {
        init = process;
    }

    /** The init process for an empty exec id, else that exec. */
    ContainerProcess process(String execId) {
        ContainerProcess p = execId.isEmpty() ? init : execs.get(execId);
        if (p == null) {
            throw new ContainerException(ContainerException.Reason.NOT_FOUND, execId.isEmpty()
                    ? "container " + id + " is not started"
                    : "no process " + execId + " in container " + id);
        }
        return p;
    }

    /** Only a finished exec's id may be reused, as containerd does after deleting it. */
    void checkExecIdFree(String execId) {
        ContainerProcess existing = execs.get(execId);
        if (existing != null && !existing.hasExited()) {
            throw new ContainerException(ContainerException.Reason.ALREADY_EXISTS,
                    "process " + execId + " already runs in container " + id);
        }
    }

    void addExec(String execId, ContainerProcess process) {
        execs.put(execId, process);
    }

    /** Init first, then the execs. */
    List<ContainerProcess> processes() {
        List<ContainerProcess> all = new ArrayList<>();
        if (init != null) {
            all.add(init);
        }
        all.addAll(execs.values());
        return all;
    }
}
