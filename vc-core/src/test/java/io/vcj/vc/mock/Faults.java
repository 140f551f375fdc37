package io.vcj.vc.mock;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Operations of the mocks that a test wants to fail, by name (e.g. {@code startVM}, {@code connect}). */
public final class Faults {
    private final Set<String> failing = ConcurrentHashMap.newKeySet();
    private final Set<String> once = ConcurrentHashMap.newKeySet();

    public Faults failOn(String operation) {
        failing.add(operation);
        return this;
    }

    /** Fails the operation's next call only. */
    public Faults failOnce(String operation) {
        once.add(operation);
        return this;
    }

    public Faults heal(String operation) {
        failing.remove(operation);
        return this;
    }

    boolean fails(String operation) {
        return once.remove(operation) || failing.contains(operation);
    }
}
