package io.vcj.shim;

import io.vcj.shim.config.ConfigException;
import io.vcj.shim.config.ConfigLocation;
import io.vcj.shim.config.VcjConfig;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalInt;

/**
 * {@code containerd-shim-vcj-v2}: containerd runs it with {@code start} (print the address of a
 * shim serving this container's pod, and become that shim if there is none yet) and with
 * {@code delete} (clean up after a shim that died). With no action and {@code -socket} it is the
 * long-lived shim alone. {@code -v} prints the version.
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
                case "start" -> new StartCommand(flags, cwd, System.in.readAllBytes(), System.getenv()).run(out);
                case "delete" -> {
                    ShimLogging.toStderr("WARN");
                    new DeleteCommand(flags, cwd, System.getenv(), System.err).run(out);
                }
                case "" -> serveOwnSocket(flags, System.getenv());
                default -> throw new IllegalArgumentException("unknown action '" + flags.action().get()
                        + "' (expected start, delete, or none with -socket for the long-lived shim alone)");
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

    /** No action, as bench-shim and the AOT training run it: the long-lived shim alone, on {@code -socket}. */
    private static void serveOwnSocket(ShimFlags flags, Map<String, String> environment)
            throws IOException, InterruptedException {
        if (flags.socket().isEmpty()) {
            throw new IllegalArgumentException("no action: containerd runs start or delete; a shim on a socket of its own needs -socket PATH");
        }
        VcjConfig config = VcjConfig.load(ConfigLocation.resolve(new byte[0], environment));
        new ShimServer(flags, config, environment).run(new ShimSocket(Path.of(flags.socket())), OptionalInt.empty());
    }

    private static String versionOf(Class<?> type) {
        String version = type.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }
}
