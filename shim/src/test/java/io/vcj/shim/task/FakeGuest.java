package io.vcj.shim.task;

import io.vcj.vc.VcException;
import io.vcj.vc.agent.AgentException;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The inside of a {@link FakeVm}: its processes, by container id and exec id ("" for init). */
final class FakeGuest {
    final Map<String, FakeProcess> processes = new ConcurrentHashMap<>();
    final Map<String, Boolean> paused = new ConcurrentHashMap<>();
    private volatile boolean alive = true;

    void add(String containerId, String execId, List<String> args) {
        processes.put(containerId + "/" + execId, new FakeProcess(args));
    }

    FakeProcess process(String containerId, String execId) {
        if (!alive) {
            throw new AgentException("the VM is gone");
        }
        FakeProcess process = processes.get(containerId + "/" + execId);
        if (process == null) {
            throw new VcException.NotFound("no process " + containerId + "/" + execId + " in the guest");
        }
        return process;
    }

    void die() {
        alive = false;
        processes.values().forEach(FakeProcess::lose);
    }
}
