package io.vcj.vc.sandbox;

/** A process in a sandbox; the init process of a container has the container id as exec id. */
record ProcessKey(String containerId, String execId) {

    static ProcessKey init(String containerId) {
        return new ProcessKey(containerId, containerId);
    }

    boolean isInit() {
        return containerId.equals(execId);
    }

    @Override
    public String toString() {
        return containerId + "/" + execId;
    }
}
