package io.vcj.shim.task;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/** Runs a process's wait-for-exit on a thread of its own, as it blocks for the process's whole life. */
final class ExitWatcher {
    private static final Logger log = LogManager.getLogger(ExitWatcher.class);

    /** What waits: returns once the exit is recorded. */
    @FunctionalInterface
    interface Wait {
        void run() throws InterruptedException;
    }

    private ExitWatcher() {
    }

    static void watch(String process, Wait wait) {
        Thread.ofPlatform().daemon().name("exit-watcher-" + process).start(() -> {
            try {
                wait.run();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                log.error("waiting for process {} failed", process, e);
            }
        });
    }
}
