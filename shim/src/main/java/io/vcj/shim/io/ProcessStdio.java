package io.vcj.shim.io;

import io.vcj.vc.ProcessIo;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The stdio of one task process: the FIFOs (or files) containerd named, wired to the process's
 * streams in the VM. Everything is opened when the process is created, so a bad path fails the
 * create; the copies run once the process is {@link #attach attached}.
 *
 * <p>No open blocks, whether or not containerd has opened its ends yet: output FIFOs are opened
 * read-write (the pipe keeps what was written until containerd reads it), and stdin as described in
 * {@link StdinCopier}.
 */
public final class ProcessStdio implements AutoCloseable {
    /** How long CloseIO waits for containerd to close its end of stdin before closing it for it. */
    private static final Duration STDIN_DRAIN_GRACE = Duration.ofSeconds(2);

    private final String name;
    private final StdinCopier stdin;
    private final List<OutputCopier> outputs;
    private volatile ProcessIo io;

    private ProcessStdio(String name, StdinCopier stdin, List<OutputCopier> outputs) {
        this.name = name;
        this.stdin = stdin;
        this.outputs = outputs;
    }

    /**
     * Opens the output sinks. Output nobody asked for is still read, and discarded, so the process
     * never blocks writing it. With a terminal, stderr is merged into stdout by the terminal and its
     * name is ignored.
     *
     * @param name for thread names and logs, e.g. {@code container/exec}
     * @throws UnsupportedOperationException for {@code binary://} targets
     * @throws IllegalArgumentException      for unknown URI schemes
     */
    public static ProcessStdio open(String name, String stdin, String stdout, String stderr, boolean terminal)
            throws IOException {
        StdioTarget in = StdioTarget.parse(stdin);
        StdioTarget out = StdioTarget.parse(stdout);
        StdioTarget err = StdioTarget.parse(stderr);
        var outputs = new ArrayList<OutputCopier>();
        try {
            outputs.add(new OutputCopier(name + "-stdout", ProcessIo::stdout, openSink(out)));
            if (!terminal) {
                outputs.add(new OutputCopier(name + "-stderr", ProcessIo::stderr, openSink(err)));
            }
            return new ProcessStdio(name, in.isNone() ? null : StdinCopier.open(name + "-stdin", in.path()),
                    outputs);
        } catch (IOException | RuntimeException e) {
            outputs.forEach(OutputCopier::closeSink);
            throw e;
        }
    }

    private static WritableByteChannel openSink(StdioTarget target) throws IOException {
        return switch (target.kind()) {
            case FIFO -> FileChannel.open(target.path(), StandardOpenOption.READ, StandardOpenOption.WRITE);
            case FILE -> {
                Files.createDirectories(target.path().toAbsolutePath().getParent());
                yield FileChannel.open(target.path(), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.APPEND);
            }
            case NONE -> Channels.newChannel(OutputStream.nullOutputStream());
        };
    }

    /** Starts copying between containerd and the started process {@code io}. Once only. */
    public synchronized void attach(ProcessIo io) {
        if (this.io != null) {
            throw new IllegalStateException(name + ": stdio already attached");
        }
        this.io = io;
        if (stdin != null) {
            stdin.start(io.stdin());
        }
        outputs.forEach(output -> output.start(io));
    }

    /** CloseIO: the process's stdin closes once containerd's end is closed and drained, or after a grace. */
    public void closeStdin() {
        if (stdin != null) {
            stdin.finishWithin(STDIN_DRAIN_GRACE);
        }
    }

    /** Blocks until the process's stdout and stderr ended and all of it was written out. */
    public void awaitOutput() throws InterruptedException {
        if (io == null) {
            return;
        }
        for (OutputCopier output : outputs) {
            output.await();
        }
    }

    public boolean attached() {
        return io != null;
    }

    /** Tells the process's terminal its new size. */
    public void resize(int width, int height) {
        ProcessIo current = io;
        if (current == null) {
            throw new IllegalStateException(name + " has not started");
        }
        current.resizeTerminal(height, width);
    }

    /** Stops feeding stdin; closes the sinks of copies never started. Output copies end on their own. */
    @Override
    public synchronized void close() {
        if (stdin != null) {
            stdin.cancel();
        }
        if (io == null) {
            outputs.forEach(OutputCopier::closeSink);
        }
    }
}
