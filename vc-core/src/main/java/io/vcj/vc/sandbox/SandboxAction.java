package io.vcj.vc.sandbox;

import io.vcj.vc.State;

/** What may be done to a sandbox in which state: its state machine. */
enum SandboxAction {
    START("start", State.READY),
    STOP("stop", State.READY, State.RUNNING, State.PAUSED),
    PAUSE("pause", State.RUNNING),
    RESUME("resume", State.PAUSED),
    DELETE("delete", State.READY, State.STOPPED),
    CREATE_CONTAINER("create a container in", State.READY, State.RUNNING),
    START_CONTAINER("start a container in", State.RUNNING),
    // A paused VM cannot answer the agent call that removes the container.
    DELETE_CONTAINER("delete a container in", State.READY, State.RUNNING, State.STOPPED),
    REACH_GUEST("reach the guest of", State.READY, State.RUNNING);

    private final AllowedStates allowed;

    SandboxAction(String verb, State first, State... rest) {
        this.allowed = AllowedStates.of(verb, first, rest);
    }

    void check(String sandboxId, State current) {
        allowed.check("sandbox", sandboxId, current);
    }
}
