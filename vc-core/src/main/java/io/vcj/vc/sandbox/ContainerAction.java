package io.vcj.vc.sandbox;

import io.vcj.vc.State;

/** What may be done to a container in which state: its state machine. */
enum ContainerAction {
    START("start", State.READY),
    STOP("stop", State.RUNNING, State.PAUSED),
    DELETE("delete", State.READY, State.STOPPED),
    PAUSE("pause", State.RUNNING),
    RESUME("resume", State.PAUSED),
    EXEC("run a process in", State.RUNNING),
    UPDATE("update", State.RUNNING, State.PAUSED),
    INSPECT("inspect the processes of", State.RUNNING, State.PAUSED);

    private final AllowedStates allowed;

    ContainerAction(String verb, State first, State... rest) {
        this.allowed = AllowedStates.of(verb, first, rest);
    }

    void check(String containerId, State current) {
        allowed.check("container", containerId, current);
    }
}
