package io.vcj.virtc;

import io.vcj.vc.ExitStatus;
import io.vcj.vc.ProcessIo;
import io.vcj.vc.VirtContainers;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;

/**
 * A process's output shown on virtc's own stdout and stderr until it exits, and optionally
 * virtc's stdin passed to it; its exit code becomes virtc's.
 */
final class Attached {

    private final VirtContainers vc;
    private final InputStream in;
    private final PrintStream out;
    private final PrintStream err;

    Attached(VirtContainers vc, InputStream in, PrintStream out, PrintStream err) {
        this.vc = vc;
        this.in = in;
        this.out = out;
        this.err = err;
    }

    /**
     * @param execId {@code ""} for the container's init process
     * @param stdin  pass virtc's stdin to the process, closing the process's at its end
     */
    int follow(String sandboxId, String containerId, String execId, boolean stdin) throws InterruptedException {
        ProcessIo io = vc.processIo(sandboxId, containerId, execId);
        if (stdin) {
            // A daemon: a terminal's stdin never ends, and the process may end before it.
            Thread.ofPlatform().daemon().name("virtc-stdin").start(() -> pass(io.stdin()));
        }
        Thread stdout = Thread.ofPlatform().name("virtc-stdout").start(() -> show(io.stdout(), out));
        Thread stderr = Thread.ofPlatform().name("virtc-stderr").start(() -> show(io.stderr(), err));
        ExitStatus exit = vc.waitProcess(sandboxId, containerId, execId);
        // The agent hands out what the process wrote before it exited until the pipes are drained.
        stdout.join();
        stderr.join();
        return exit.code();
    }

    private void pass(OutputStream processStdin) {
        try (processStdin) {
            in.transferTo(processStdin);
        } catch (IOException | RuntimeException e) {
            err.println("virtc: input to the process stopped: " + e.getMessage());
        }
    }

    private void show(InputStream from, PrintStream to) {
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
