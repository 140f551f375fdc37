package io.vcj.vc.sandbox;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Undoes the steps of a multi-step operation that failed half-way, newest first. Each undo runs even
 * if an earlier one failed; their failures are logged, the original error is what the caller sees.
 */
final class Rollback implements AutoCloseable {
    private static final Logger LOG = LogManager.getLogger(Rollback.class);

    private final Deque<Step> steps = new ArrayDeque<>();
    private boolean committed;

    private record Step(String what, Runnable undo) {
    }

    /** Registers how to undo a step that just succeeded. */
    void onFailure(String what, Runnable undo) {
        steps.push(new Step(what, undo));
    }

    /** The operation succeeded: nothing will be undone. */
    void commit() {
        committed = true;
    }

    @Override
    public void close() {
        if (committed) {
            return;
        }
        while (!steps.isEmpty()) {
            Step step = steps.pop();
            try {
                LOG.debug("rolling back: {}", step.what());
                step.undo().run();
            } catch (RuntimeException e) {
                LOG.warn("rollback step '{}' failed: {}", step.what(), e.toString());
            }
        }
    }
}
