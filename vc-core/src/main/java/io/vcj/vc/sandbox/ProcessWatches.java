package io.vcj.vc.sandbox;

import io.vcj.vc.ExitStatus;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One guest wait per process, shared by every caller waiting for it. A process's future completes
 * once its exit is recorded, with the recorded status.
 */
final class ProcessWatches {
    private static final Logger LOG = LogManager.getLogger(ProcessWatches.class);

    private final ConcurrentHashMap<ProcessKey, CompletableFuture<ExitStatus>> exits = new ConcurrentHashMap<>();
    private final Set<ProcessKey> watched = ConcurrentHashMap.newKeySet();

    /** Completes when the process's exit is recorded. */
    CompletableFuture<ExitStatus> exit(ProcessKey key) {
        return exits.computeIfAbsent(key, k -> new CompletableFuture<>());
    }

    /**
     * Starts waiting in the guest, unless already waiting. {@code record} persists the status and
     * returns the one that counts (an earlier record wins). {@code onFailure} decides what a failed
     * guest wait means (e.g. the VM died); if it fails too, current waiters get that error and the
     * next one starts a new guest wait.
     */
    void watch(ProcessKey key, Supplier<ExitStatus> waitInGuest, Function<ExitStatus, ExitStatus> record,
               Function<RuntimeException, ExitStatus> onFailure) {
        if (!watched.add(key)) {
            return;
        }
        Thread.ofVirtual().name("vcj-wait-" + key).start(() -> {
            CompletableFuture<ExitStatus> exit = exit(key);
            try {
                exit.complete(record.apply(waitOrExplain(key, waitInGuest, onFailure)));
            } catch (RuntimeException e) {
                exits.remove(key, exit);
                watched.remove(key);
                exit.completeExceptionally(e);
            }
        });
    }

    private static ExitStatus waitOrExplain(ProcessKey key, Supplier<ExitStatus> waitInGuest,
                                            Function<RuntimeException, ExitStatus> onFailure) {
        try {
            return waitInGuest.get();
        } catch (RuntimeException e) {
            LOG.debug("waiting for {} failed: {}", key, e.toString());
            return onFailure.apply(e);
        }
    }

    /** Completes every pending wait with what {@code status} says about it. */
    void settleAll(Function<ProcessKey, ExitStatus> status) {
        exits.forEach((key, future) -> {
            if (!future.isDone()) {
                future.complete(status.apply(key));
            }
        });
    }

    /** Forgets an exited process. */
    void forget(ProcessKey key) {
        exits.remove(key);
        watched.remove(key);
    }

    /** Forgets a container's processes; anybody still waiting learns it is gone. */
    void forget(String containerId, RuntimeException reason) {
        exits.entrySet().removeIf(e -> {
            if (!e.getKey().containerId().equals(containerId)) {
                return false;
            }
            e.getValue().completeExceptionally(reason);
            return true;
        });
        watched.removeIf(k -> k.containerId().equals(containerId));
    }
}
