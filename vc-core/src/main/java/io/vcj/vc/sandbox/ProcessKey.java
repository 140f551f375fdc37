package io.vcj.vc.sandbox;

/** A process in a sandbox; the init process of a container has the container id as exec id. */
record ProcessKey(String containerId, String execId) {

    static ProcessKey init(String containerId) {
        return new ProcessKey(containerId, containerId);
    }

    /** A process as callers name it: the init process by the container id or by {@code ""}, as containerd does. */
    static ProcessKey of(String containerId, String execId) {
        return execId == null || execId.isEmpty() ? init(containerId) : new ProcessKey(containerId, execId);
    }

    boolean isInit() {
        return containerId.equals(execId);
    }

    /** The exec id as the agent protocol has it: empty for the init process. */
    String agentExecId() {
        return isInit() ? "" : execId;
    }

    @Override
    public String toString() {
        return containerId + "/" + execId;
    }
}
