package io.vcj.vc.sandbox;

import io.vcj.vc.State;
import io.vcj.vc.VcException;

import java.util.EnumSet;
import java.util.Set;

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

    private final String verb;
    private final Set<State> allowedFrom;

    ContainerAction(String verb, State first, State... rest) {
        this.verb = verb;
        this.allowedFrom = EnumSet.of(first, rest);
    }

    void check(String containerId, State current) {
        if (!allowedFrom.contains(current)) {
            throw new VcException.FailedPrecondition("cannot " + verb + " container '" + containerId + "': it is "
                    + current.lowerCase() + " (only when " + SandboxAction.names(allowedFrom) + ")");
        }
    }
}
