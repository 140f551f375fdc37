package io.vcj.vc.sandbox;

import io.vcj.vc.State;
import io.vcj.vc.VcException;

import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

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

    private final String verb;
    private final Set<State> allowedFrom;

    SandboxAction(String verb, State first, State... rest) {
        this.verb = verb;
        this.allowedFrom = EnumSet.of(first, rest);
    }

    void check(String sandboxId, State current) {
        if (!allowedFrom.contains(current)) {
            throw new VcException.FailedPrecondition("cannot " + verb + " sandbox '" + sandboxId + "': it is "
                    + current.lowerCase() + " (only when " + names(allowedFrom) + ")");
        }
    }

    static String names(Set<State> states) {
        return states.stream().map(State::lowerCase).collect(Collectors.joining(" or "));
    }
}
