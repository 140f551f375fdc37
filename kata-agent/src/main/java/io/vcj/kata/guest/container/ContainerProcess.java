package io.vcj.kata.guest.container;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A process inside a container: the container's init ({@code runc run}) or an exec
 * ({@code runc exec}), each run by a foreground runc that the agent spawned.
 *
 * <p>Why foreground runc rather than {@code runc create}/{@code start}: a detached container
 * process is re-parented to PID 1 of the VM, and only its parent can learn its exit status with
 * waitpid. Java can neither make the agent a child subreaper (prctl) nor wait for processes it did
 * not spawn. A foreground runc is a subreaper itself, waits for the container process, forwards
 * its stdio through our pipes and exits with its status (128+n when killed by signal n), so plain
 * {@link ProcessBuilder} gives exact exit codes, and EOF on stdout/stderr once runc has copied
 * everything and exited. The cost is one runc process per running container or exec, and that a
 * container only exists in runc from StartContainer on (CreateContainer just writes the bundle).
 */
public final class ContainerProcess {
    private static final int DEFAULT_READ = 32 * 1024;
    /**
     * Longest pause between two looks at a starting runc. The looks cost the agent CPU that runc
     * needs on a one-vCPU guest under TCG: polling every millisecond made StartContainer take
     * about three times as long as runc alone. The pause doubles from 1 ms up to this.
     */
    private static final long MAX_START_POLL_MILLIS = 16;

    private static final int SIGWINCH = 28;
    private static final int END_OF_TRANSMISSION = 4;

    private final Process runc;
    private final long pid;
    private final Pty pty;
    /** What the process reads; {@link #stdin} writes to it from a thread of its own. */
    private final OutputStream input;
    private final OutputStream stdin;
    private final InputStream stdout;
    private final InputStream stderr;

    /** @param pty the terminal runc was given as stdin/stdout, or null for pipes */
    private ContainerProcess(Process runc, long pid, Pty pty) throws IOException {
        this.runc = runc;
        this.pid = pid;
        this.pty = pty;
        this.input = pty == null ? runc.getOutputStream() : pty.output();
        this.stdin = new PlatformThreadWrites(input, "stdin-" + pid);
        this.stdout = pty == null ? new PlatformThreadReads(runc.getInputStream(), "stdout-" + pid) : pty.input();
        this.stderr = new PlatformThreadReads(runc.getErrorStream(), "stderr-" + pid);
    }

    /**
     * Waits until the process runs the container's program, or runc has failed (reported with
     * runc's error output). runc writes the pid file while the pid is still runc's own init, which
     * execs the program a moment later; a signal sent before that exec would reach runc instead.
     */
    public static ContainerProcess awaitStarted(Process runc, Path pidFile, Pty pty) throws IOException {
        Long pid = null;
        long pause = 1;
        while (pid == null || isRuncInit(pid)) {
            if (pid == null) {
                pid = readPid(pidFile);
            }
            if (!runc.isAlive()) {
                if (pid == null) {
                    // The pid file may have appeared between the two checks.
                    pid = readPid(pidFile);
                }
                if (pid != null) {
                    // Started, and already over.
                    return new ContainerProcess(runc, pid, pty);
                }
                String err = new String(runc.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip();
                throw new IOException("runc exited " + runc.exitValue() + " before starting the process: " + err);
            }
            try {
                Thread.sleep(pause);
                pause = Math.min(2 * pause, MAX_START_POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                runc.destroyForcibly();
                throw new IOException("interrupted while starting the process");
            }
        }
        return new ContainerProcess(runc, pid, pty);
    }

    private static Long readPid(Path pidFile) throws IOException {
        if (!Files.exists(pidFile)) {
            return null;
        }
        String text = Files.readString(pidFile).strip();
        return text.isEmpty() ? null : Long.parseLong(text);
    }

    /** runc's init runs as {@code <runc> init}; a process that is gone is not runc's init any more. */
    private static boolean isRuncInit(long pid) {
        try {
            String[] argv = Files.readString(Path.of("/proc/" + pid + "/cmdline")).split("\0");
            return argv.length == 2 && argv[1].equals("init") && argv[0].endsWith("runc");
        } catch (IOException e) {
            return false;
        }
    }

    /** The process's pid in the guest's pid namespace. */
    public long pid() {
        return pid;
    }

    public boolean hasExited() {
        return !runc.isAlive();
    }

    /** Blocks until the process is gone; its exit status, 128+n if signal n killed it. */
    public int waitFor() throws InterruptedException {
        return runc.waitFor();
    }

    public void writeStdin(byte[] data) throws IOException {
        synchronized (stdin) {
            stdin.write(data);
            stdin.flush();
        }
    }

    /**
     * Ends the process's input. A terminal has no separate input to close (the master is also
     * its output), so it gets the end-of-file character, as a user typing ^D would send.
     */
    public void closeStdin() throws IOException {
        synchronized (stdin) {
            if (pty != null) {
                stdin.write(END_OF_TRANSMISSION);
                stdin.flush();
            } else {
                input.close();
                stdin.close();
            }
        }
    }

    /** Up to {@code max} bytes of stdout, blocking until some arrive; null at end of stream. */
    public byte[] readStdout(int max) throws IOException {
        return read(stdout, max);
    }

    /** Like {@link #readStdout}, for stderr. */
    public byte[] readStderr(int max) throws IOException {
        return read(stderr, max);
    }

    /**
     * Sizes the terminal; runc copies the size to the container's pty when it gets SIGWINCH.
     * A process without a terminal has nothing to size.
     */
    public void resize(int rows, int columns) throws IOException {
        if (pty != null) {
            pty.resize(rows, columns);
            Signals.send(runc.pid(), SIGWINCH);
        }
    }

    /** Releases the terminal and the stdio threads, once the process is gone. */
    void close() throws IOException {
        stdin.close();
        stdout.close();
        stderr.close();
        if (pty != null) {
            pty.close();
        }
    }

    private static byte[] read(InputStream in, int max) throws IOException {
        byte[] buf = new byte[max > 0 ? max : DEFAULT_READ];
        // One reader at a time keeps concurrent long-polls from interleaving chunks.
        synchronized (in) {
            int n = in.read(buf);
            return n < 0 ? null : Arrays.copyOf(buf, n);
        }
    }
}
