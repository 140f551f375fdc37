package io.vcj.vc.mock;

import io.vcj.vc.ExitStatus;
import io.vcj.vc.agent.AgentException;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A guest process played by a tiny interpreter of its argv: {@code echo WORDS} prints them and exits 0,
 * {@code warn WORDS} prints them on stderr, {@code exit N} exits N, {@code cat} copies stdin to stdout
 * until stdin closes, {@code linger} exits at once but holds its output open (as a daemonised child
 * would) until {@link #releaseOutput}, {@code missing} cannot be started; anything else runs until
 * signalled (exit 128 + signal).
 */
public final class MockProcess {
    private static final byte[] EOF = new byte[0];

    final List<String> args;
    final CompletableFuture<ExitStatus> exit = new CompletableFuture<>();
    private final BlockingQueue<byte[]> stdout = new LinkedBlockingQueue<>();
    private final BlockingQueue<byte[]> stderr = new LinkedBlockingQueue<>();
    final ByteArrayOutputStream stdin = new ByteArrayOutputStream();
    public volatile String terminalSize;

    MockProcess(List<String> args) {
        this.args = List.copyOf(args);
    }

    void start() {
        byte[] words = (String.join(" ", args.subList(1, args.size())) + "\n").getBytes(StandardCharsets.UTF_8);
        switch (args.getFirst()) {
            case "echo" -> {
                stdout.add(words);
                end(0);
            }
            case "warn" -> {
                stderr.add(words);
                end(0);
            }
            case "exit" -> end(Integer.parseInt(args.get(1)));
            case "/bin/true" -> end(0);
            case "linger" -> exit.complete(new ExitStatus(0, Instant.now()));
            case "missing" -> throw new AgentException("exec: \"missing\": executable file not found in $PATH");
            default -> {
            }
        }
    }

    synchronized int write(byte[] data) {
        stdin.writeBytes(data);
        if (args.getFirst().equals("cat")) {
            stdout.add(data.clone());
        }
        return data.length;
    }

    void closeStdin() {
        if (args.getFirst().equals("cat")) {
            end(0);
        }
    }

    void signal(int signal) {
        end(128 + signal);
    }

    void end(int code) {
        if (exit.complete(new ExitStatus(code, Instant.now()))) {
            stdout.add(EOF);
            stderr.add(EOF);
        }
    }

    /** A {@code linger} process's last output arrives and its streams close. */
    public void releaseOutput() {
        stdout.add("late\n".getBytes(StandardCharsets.UTF_8));
        stdout.add(EOF);
        stderr.add(EOF);
    }

    /** The VM died under it: waits and reads fail like a broken connection. */
    void lose() {
        exit.completeExceptionally(new AgentException("connection reset: the VM is gone"));
        stdout.add(EOF);
        stderr.add(EOF);
    }

    byte[] readStdout() {
        return take(stdout);
    }

    byte[] readStderr() {
        return take(stderr);
    }

    private static byte[] take(BlockingQueue<byte[]> queue) {
        try {
            byte[] chunk = queue.take();
            if (chunk.length == 0) {
                queue.add(EOF);
            }
            return chunk;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AgentException("interrupted");
        }
    }
}
