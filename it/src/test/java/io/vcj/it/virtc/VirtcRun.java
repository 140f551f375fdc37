package io.vcj.it.virtc;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** One virtc invocation in a process of its own, as a user's shell would run it. */
record VirtcRun(int exit, String out, String err) {
    /** A generous bound for a hung command; the guest boots under TCG on a shared host. */
    private static final long MINUTES = 10;

    /** Through the launcher, which finds the classpath of the built shim module. */
    static VirtcRun launcher(String... args) throws IOException, InterruptedException {
        Path launcher = Path.of("").toAbsolutePath().getParent().resolve("scripts/virtc");
        var command = new ArrayList<>(List.of(launcher.toString()));
        command.addAll(List.of(args));
        return run(command);
    }

    /** On this test's classpath, so that it runs the classes of this build; stdin is empty. */
    static VirtcRun java(String... args) throws IOException, InterruptedException {
        return javaWithInput("", args);
    }

    static VirtcRun javaWithInput(String stdin, String... args) throws IOException, InterruptedException {
        var command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(),
                "--sun-misc-unsafe-memory-access=allow", "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), "io.vcj.virtc.Virtc"));
        command.addAll(List.of(args));
        return run(command, stdin);
    }

    private static VirtcRun run(List<String> command) throws IOException, InterruptedException {
        return run(command, "");
    }

    private static VirtcRun run(List<String> command, String stdin) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).start();
        try (var in = process.getOutputStream()) {
            in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        Thread outCopy = Thread.ofVirtual().start(() -> copy(process.getInputStream(), out));
        Thread errCopy = Thread.ofVirtual().start(() -> copy(process.getErrorStream(), err));
        if (!process.waitFor(MINUTES, TimeUnit.MINUTES)) {
            process.destroyForcibly().waitFor();
        }
        outCopy.join();
        errCopy.join();
        return new VirtcRun(process.exitValue(), out.toString(StandardCharsets.UTF_8),
                err.toString(StandardCharsets.UTF_8));
    }

    private static void copy(InputStream from, ByteArrayOutputStream to) {
        try (from) {
            from.transferTo(to);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
