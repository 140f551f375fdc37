package io.vcj.shim;

import io.vcj.shim.config.ConfigLocation;
import io.vcj.shim.config.VcjConfig;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * {@code start}: makes sure a shim serves the container's group and prints its address, which
 * must be the only output. Reuses the group's shim if one answers on the socket; otherwise binds
 * the socket, checks the vcj config (so a broken one fails {@code ctr run} with its message),
 * and leaves a detached long-lived shim serving it.
 */
final class StartCommand {

    /** The bundle file naming the vcj config; {@code delete} reads it when no shim is left to ask. */
    static final String CONFIG_RECORD = "vcj-config";

    private final ShimFlags flags;
    private final String[] args;
    private final Path bundle;
    private final byte[] options;
    private final Map<String, String> environment;

    /**
     * @param args    this process's program arguments, as given
     * @param bundle  the working directory containerd started us in
     * @param options what containerd wrote to stdin: the runtime options as an Any, or nothing
     */
    StartCommand(ShimFlags flags, String[] args, Path bundle, byte[] options, Map<String, String> environment) {
        this.flags = flags.require("namespace", "address", "id");
        this.args = args;
        this.bundle = bundle;
        this.options = options;
        this.environment = environment;
    }

    void run(PrintStream out) throws IOException {
        Path config = ConfigLocation.resolve(options, environment).toAbsolutePath();
        Files.writeString(bundle.resolve(CONFIG_RECORD), config.toString());
        ShimSocket socket = ShimSocket.of(flags.address(), flags.namespace(), BundleSpec.groupingId(bundle, flags.id()));
        // Before the shim starts: it reads the file to know which socket to remove when it exits.
        Files.writeString(bundle.resolve("address"), socket.address());
        if (!socket.isServed()) {
            VcjConfig.load(config);
            serveNew(socket, config);
        }
        out.print(socket.address());
        out.flush();
    }

    private void serveNew(ShimSocket socket, Path config) throws IOException {
        OptionalInt listener = bind(socket);
        if (listener.isEmpty()) {
            return;
        }
        try {
            DetachedShim.spawn(args, childArgs(), childEnvironment(config), listener.getAsInt(), bundle);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(socket.path());
            throw e;
        } finally {
            Libc.close(listener.getAsInt());
        }
    }

    /** The listening descriptor; empty if another start of the same group bound it first and serves it. */
    private static OptionalInt bind(ShimSocket socket) throws IOException {
        try {
            return OptionalInt.of(socket.listen());
        } catch (Libc.ErrnoException e) {
            if (e.errno() != Libc.EADDRINUSE) {
                throw e;
            }
            if (socket.isServed()) {
                return OptionalInt.empty();
            }
            Files.deleteIfExists(socket.path()); // left behind by a shim that died
            return OptionalInt.of(socket.listen());
        }
    }

    /** As containerd's runc shim restarts itself: the same flags, no action word. */
    private List<String> childArgs() {
        List<String> child = new ArrayList<>(List.of("-namespace", flags.namespace(), "-id", flags.id(),
                "-address", flags.address()));
        if (!flags.publishBinary().isEmpty()) {
            child.addAll(List.of("-publish-binary", flags.publishBinary()));
        }
        if (flags.debug()) {
            child.add("-debug");
        }
        return child;
    }

    /** The runtime options only reach start: the long-lived shim learns the config from the environment. */
    private Map<String, String> childEnvironment(Path config) {
        Map<String, String> env = new HashMap<>(environment);
        env.put(ConfigLocation.ENVIRONMENT, config.toString());
        return env;
    }
}
