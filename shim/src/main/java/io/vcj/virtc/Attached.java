package io.vcj.virtc;

import io.vcj.vc.ExitStatus;
import io.vcj.vc.ProcessIo;
import io.vcj.vc.VirtContainers;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;

/** A process's output shown on virtc's own stdout and stderr until it exits; its exit code becomes virtc's. */
final class Attached {

    private final VirtContainers vc;
    private final PrintStream out;
    private final PrintStream err;

    Attached(VirtContainers vc, PrintStream out, PrintStream err) {
        this.vc = vc;
        this.out = out;
        this.err = err;
    }

    /** @param execId {@code ""} for the container's init process */
    int follow(String sandboxId, String containerId, String execId) throws InterruptedException {
        ProcessIo io = vc.processIo(sandboxId, containerId, execId);
        Thread stdout = Thread.ofPlatform().name("virtc-stdout").start(() -> copy(io.stdout(), out));
        Thread stderr = Thread.ofPlatform().name("virtc-stderr").start(() -> copy(io.stderr(), err));
        ExitStatus exit = vc.waitProcess(sandboxId, containerId, execId);
        // The agent hands out what the process wrote before it exited until the pipes are drained.
        stdout.join();
        stderr.join();
        return exit.code();
    }

    private void copy(InputStream from, PrintStream to) {
        try (from) {
            byte[] buffer = new byte[8192];
            for (int n = from.read(buffer); n >= 0; n = from.read(buffer)) {
                to.write(buffer, 0, n);
                to.flush();
            }
        } catch (IOException | RuntimeException e) {
            // The exit status still says how the process ended; the user learns the output is cut short.
            err.println("virtc: output of the process lost: " + e.getMessage());
        }
    }
}
