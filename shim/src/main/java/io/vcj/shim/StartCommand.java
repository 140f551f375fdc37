package io.vcj.shim;

import io.vcj.shim.config.ConfigLocation;
import io.vcj.shim.config.VcjConfig;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalInt;

/**
 * {@code start}: makes sure a shim serves the container's group and prints its address, which
 * must be the only output. Reuses the group's shim if one answers on the socket; otherwise binds
 * the socket, checks the vcj config (so a broken one fails {@code ctr run} with its message),
 * prints the address and goes on as that group's long-lived shim. The launcher runs this JVM in a
 * session of its own and returns containerd the address as soon as it is printed
 * ({@link ShimStdio}): one JVM start per pod, where containerd's runc shim starts two processes.
 */
final class StartCommand {

    /** The bundle file naming the vcj config; {@code delete} reads it when no shim is left to ask. */
    static final String CONFIG_RECORD = "vcj-config";

    private final ShimFlags flags;
    private final Path bundle;
    private final byte[] options;
    private final Map<String, String> environment;

    /**
     * @param bundle  the working directory containerd started us in
     * @param options what containerd wrote to stdin: the runtime options as an Any, or nothing
     */
    StartCommand(ShimFlags flags, Path bundle, byte[] options, Map<String, String> environment) {
        this.flags = flags.require("namespace", "address", "id");
        this.bundle = bundle;
        this.options = options;
        this.environment = environment;
    }

    void run(PrintStream out) throws IOException, InterruptedException {
        Path configFile = ConfigLocation.resolve(options, environment).toAbsolutePath();
        Files.writeString(bundle.resolve(CONFIG_RECORD), configFile.toString());
        ShimSocket socket = ShimSocket.of(flags.address(), flags.namespace(), BundleSpec.groupingId(bundle, flags.id()));
        // containerd reads it to find the shim again after a restart of its own.
        Files.writeString(bundle.resolve("address"), socket.address());
        if (socket.isServed()) {
            answer(out, socket);
            return;
        }
        VcjConfig config = VcjConfig.load(configFile);
        OptionalInt listener = bind(socket);
        if (listener.isEmpty()) {
            answer(out, socket);
            return;
        }
        try {
            ShimStdio stdio = ShimStdio.open(bundle.resolve("log"));
            answer(out, socket);
            stdio.install();
        } catch (IOException | RuntimeException e) {
            Libc.close(listener.getAsInt());
            Files.deleteIfExists(socket.path());
            throw e;
        }
        new ShimServer(flags, config, environment).run(socket, listener);
    }

    private static void answer(PrintStream out, ShimSocket socket) {
        out.print(socket.address());
        out.flush();
    }

    /**
     * The listening descriptor; empty if another start of the same group bound it first and serves it.
     * Under a lock on the socket directory, so that no other start finds the socket bound but not
     * listening yet (unserved, it would delete it) or replaces a stale one at the same time as this one.
     */
    private static OptionalInt bind(ShimSocket socket) throws IOException {
        try (DirectoryLock lock = DirectoryLock.acquire(socket.path().getParent())) {
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
    }
}
