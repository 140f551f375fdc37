package io.vcj.vc.sandbox;

import io.vcj.vc.State;
import io.vcj.vc.VcException;

import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

/** One edge set of a state machine: the states from which an action may be done. */
record AllowedStates(String verb, Set<State> from) {

    static AllowedStates of(String verb, State first, State... rest) {
        return new AllowedStates(verb, EnumSet.of(first, rest));
    }

    /** Refuses the action with the states it needs, e.g. "cannot pause sandbox 'p': it is ready (only when running)". */
    void check(String kind, String id, State current) {
        if (!from.contains(current)) {
            throw new VcException.FailedPrecondition("cannot " + verb + " " + kind + " '" + id + "': it is "
                    + current.lowerCase() + " (only when "
                    + from.stream().map(State::lowerCase).collect(Collectors.joining(" or ")) + ")");
        }
    }
}
