package io.vcj.shim;

import io.vcj.shim.config.ConfigException;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * {@code containerd-shim-vcj-v2}: containerd runs it with {@code start} (print the address of a
 * shim serving this container's pod), with {@code delete} (clean up after a shim that died), and
 * {@code start} runs it with no action as the long-lived shim. {@code -v} prints the version.
 */
public final class ShimMain {

    static final String VERSION = versionOf(ShimMain.class);
    private static final String NAME = "containerd-shim-vcj-v2";

    private ShimMain() {
    }

    public static void main(String[] args) {
        // stdout of start and delete is containerd's to read: nothing else may ever reach it.
        PrintStream out = System.out;
        System.setOut(System.err);
        System.exit(run(args, out));
    }

    static int run(String[] args, PrintStream out) {
        try {
            ShimFlags flags = ShimFlags.parse(args);
            if (flags.version()) {
                out.println(NAME + ":\n  Version: " + VERSION);
                return 0;
            }
            Path cwd = Path.of("").toAbsolutePath();
            switch (flags.action().orElse("")) {
                case "start" -> {
                    ShimLogging.toStderr("OFF");
                    new StartCommand(flags, args, cwd, System.in.readAllBytes(), System.getenv()).run(out);
                }
                case "delete" -> {
                    ShimLogging.toStderr("WARN");
                    new DeleteCommand(flags, cwd, System.getenv(), System.err).run(out);
                }
                case "" -> new ShimServer(flags, System.getenv()).run();
                default -> throw new IllegalArgumentException("unknown action '" + flags.action().get()
                        + "' (expected start, delete, or none for the long-lived shim)");
            }
            return 0;
        } catch (IllegalArgumentException | ConfigException e) {
            System.err.println(NAME + ": " + e.getMessage());
            return 1;
        } catch (IOException | RuntimeException e) {
            System.err.println(NAME + ": " + e);
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    private static String versionOf(Class<?> type) {
        String version = type.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }
}
