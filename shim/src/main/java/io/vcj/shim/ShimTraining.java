package io.vcj.shim;

import io.vcj.shim.config.VcjConfig;
import io.vcj.shim.proto.task.ShutdownRequest;
import io.vcj.shim.proto.task.StateRequest;
import io.vcj.shim.proto.task.TaskTtrpcClient;
import io.vcj.ttrpc.TtrpcClient;
import io.vcj.ttrpc.TtrpcException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.OptionalInt;
import java.util.stream.Stream;

/**
 * The workload of the AOT cache's training run ({@code -XX:AOTCacheOutput}): every path a shim
 * takes at start-up, in a scratch directory and without containerd or a VM. It finds the group's
 * socket, binds one and serves and stops the Task service on it as {@code start} does, and cleans
 * up after a shim as {@code delete} does.
 */
public final class ShimTraining {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);

    private ShimTraining() {
    }

    public static void main(String[] args) throws Exception {
        ShimLogging.toStderr("WARN");
        Path dir = Files.createTempDirectory("vcj-shim-training");
        try {
            train(dir);
        } finally {
            try (Stream<Path> tree = Files.walk(dir)) {
                for (Path path : tree.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(path);
                }
            }
        }
    }

    private static void train(Path dir) throws Exception {
        Path bundle = Files.createDirectories(dir.resolve("bundle"));
        Files.createDirectories(bundle.resolve("rootfs"));
        Files.writeString(bundle.resolve("config.json"),
                "{\"ociVersion\":\"1.0.2\",\"annotations\":{\"io.kubernetes.cri.sandbox-id\":\"train\"}}");
        Path config = Files.writeString(dir.resolve("configuration.toml"), """
                [hypervisor.qemu]
                path = "%1$s"
                kernel = "%1$s"
                initrd = "%1$s"
                kernel_params = "quiet"
                [agent.kata]
                dial_timeout = 30
                [runtime]
                state_root = "%2$s"
                """.formatted(placeholderFile(dir), dir.resolve("state")));
        Files.writeString(bundle.resolve(StartCommand.CONFIG_RECORD), config.toString());
        Map<String, String> env = Map.of("VCJ_CONFIG", config.toString(), "TTRPC_ADDRESS", dir.resolve("none").toString());
        String[] flags = {"-namespace", "train", "-address", dir.resolve("containerd.sock").toString(), "-id", "train"};

        startPaths(dir, bundle, flags);
        serve(dir, flags, env);
        ShimFlags delete = ShimFlags.parse(concat(flags, "-bundle", bundle.toString(), "delete"));
        new DeleteCommand(delete, bundle, env, new PrintStream(new ByteArrayOutputStream())).run(new ByteArrayOutputStream());
    }

    /** What start does short of /run/containerd and serving: the group's socket, and finding it served or not. */
    private static void startPaths(Path dir, Path bundle, String[] flags) throws IOException {
        ShimFlags start = ShimFlags.parse(concat(flags, "start"));
        ShimSocket.of(start.address(), start.namespace(), BundleSpec.groupingId(bundle, start.id())).address();
        new ShimSocket(dir.resolve("none.sock")).isServed();
    }

    /** The long-lived shim as start runs it, on a socket bound beforehand, asked a question and then to shut down. */
    private static void serve(Path dir, String[] flags, Map<String, String> env) throws Exception {
        ShimSocket socket = new ShimSocket(dir.resolve("shim.sock"));
        OptionalInt listener;
        try (DirectoryLock lock = DirectoryLock.acquire(dir)) {
            listener = OptionalInt.of(socket.listen());
        }
        socket.isServed();
        VcjConfig config = VcjConfig.load(Path.of(env.get("VCJ_CONFIG")));
        ShimServer server = new ShimServer(ShimFlags.parse(concat(flags, "start")), config, env);
        Thread serving = Thread.ofPlatform().name("training-shim").start(() -> {
            try {
                server.run(socket, listener);
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        try (TtrpcClient client = connect(socket.path())) {
            TaskTtrpcClient task = TaskTtrpcClient.of(client);
            try {
                task.state(StateRequest.newBuilder().setId("none").build());
            } catch (TtrpcException expected) {
                // no such task: the error path is part of the training
            }
            task.shutdown(ShutdownRequest.newBuilder().setId("train").build());
        } catch (TtrpcException closedOnShutdown) {
            // the shim may close before its reply, as containerd allows
        }
        serving.join();
    }

    private static TtrpcClient connect(Path socket) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + CONNECT_TIMEOUT.toNanos();
        while (true) {
            try {
                return TtrpcClient.connect(socket);
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(10);
            }
        }
    }

    /** An existing file for the config's paths: only their existence is checked. */
    private static Path placeholderFile(Path dir) throws IOException {
        return Files.writeString(dir.resolve("placeholder"), "");
    }

    private static String[] concat(String[] first, String... more) {
        return Stream.concat(Stream.of(first), Stream.of(more)).toArray(String[]::new);
    }
}
