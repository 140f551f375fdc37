package io.vcj.shim;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Starts the long-lived shim the way containerd's own shims do: the same program with no action
 * word, the listening socket as its stdin, the bundle's {@code log} FIFO as stdout and stderr, in
 * a session of its own so it outlives {@code start} and containerd's process group.
 */
final class DetachedShim {

    private DetachedShim() {
    }

    /**
     * @param commandArgs this process's own program arguments (to find the JVM command line before them)
     * @param childArgs   the long-lived shim's program arguments
     */
    static long spawn(String[] commandArgs, List<String> childArgs, Map<String, String> environment,
                      int listener, Path bundle) throws IOException {
        List<String> argv = new ArrayList<>(jvmCommandLine(commandArgs.length));
        argv.addAll(childArgs);
        List<String> env = environment.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
        int log = openLog(bundle.resolve("log"));
        try {
            return Libc.spawnDetached(argv, env, new int[] {listener, log, log});
        } finally {
            Libc.close(log);
        }
    }

    /**
     * How this JVM was started, minus the program arguments: executable, JVM options, class path
     * and main class, read from /proc so that any launcher's tuning carries over to the child.
     */
    static List<String> jvmCommandLine(int programArgs) throws IOException {
        byte[] raw = Files.readAllBytes(Path.of("/proc/self/cmdline"));
        List<String> words = Arrays.asList(new String(raw, StandardCharsets.UTF_8).split("\0"));
        if (words.size() <= programArgs) {
            throw new IOException("cannot tell the JVM command line from /proc/self/cmdline: " + words);
        }
        List<String> command = new ArrayList<>(words.subList(0, words.size() - programArgs));
        // posix_spawn does not search PATH: name the executable by its real path.
        command.set(0, ProcessHandle.current().info().command().orElse(command.getFirst()));
        return command;
    }

    /**
     * The FIFO containerd reads the shim's log from, opened without blocking: if nobody reads it
     * (a shim started by hand) or it is missing, the log goes to /dev/null instead.
     */
    private static int openLog(Path fifo) throws IOException {
        try {
            int fd = Libc.open(fifo.toString(), Libc.O_WRONLY | Libc.O_NONBLOCK | Libc.O_CLOEXEC);
            // Blocking from here on: a full pipe must slow the logger down, not lose lines.
            Libc.fcntl(fd, Libc.F_SETFL, Libc.fcntl(fd, Libc.F_GETFL, 0) & ~Libc.O_NONBLOCK);
            return fd;
        } catch (Libc.ErrnoException e) {
            return Libc.open("/dev/null", Libc.O_RDWR | Libc.O_CLOEXEC);
        }
    }
}
