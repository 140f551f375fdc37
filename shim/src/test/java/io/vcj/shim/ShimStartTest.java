package io.vcj.shim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vcj.shim.proto.task.ShutdownRequest;
import io.vcj.shim.proto.task.StateRequest;
import io.vcj.shim.proto.task.TaskTtrpcClient;
import io.vcj.ttrpc.StatusCode;
import io.vcj.ttrpc.TtrpcClient;
import io.vcj.ttrpc.TtrpcException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The start protocol as containerd drives it: a real process per command, in the bundle, whose
 * output containerd takes as the address. Needs root (the socket lives in /run/containerd/s).
 */
class ShimStartTest {

    @TempDir
    Path dir;
    private final String id = "vcj-start-test-" + UUID.randomUUID();
    private Path bundle;
    private Path config;
    private Path containerdAddress;
    private ShimSocket socket;

    @BeforeEach
    void bundleAndConfig() throws IOException {
        assumeTrue("root".equals(System.getProperty("user.name")), "the shim socket directory needs root");
        bundle = ShimTestFiles.bundle(dir);
        config = ShimTestFiles.config(dir);
        containerdAddress = dir.resolve("containerd.sock");
        socket = ShimSocket.of(containerdAddress.toString(), "ns", id);
    }

    /** A SIGTERM before the shim's JVM is up would leave its socket: wait for it to serve first. */
    @AfterEach
    void stopShims() throws Exception {
        for (ProcessHandle shim : shims()) {
            awaitServing();
            shim.destroy();
            shim.onExit().get(60, TimeUnit.SECONDS);
        }
        Files.deleteIfExists(socket.path());
    }

    @Test
    void printsOnlyTheAddressOfADetachedShimServingIt() throws Exception {
        Result start = run(config, "start");

        assertEquals(new Result(0, socket.address(), ""), start);
        assertEquals(socket.address(), Files.readString(bundle.resolve("address")));
        assertTrue(socket.isServed(), "nothing accepts on " + socket.path());
        assertEquals(1, shims().size());
    }

    @Test
    void aSecondStartOfTheGroupSharesTheShim() throws Exception {
        run(config, "start");

        Result again = run(config, "start");

        assertEquals(new Result(0, socket.address(), ""), again);
        assertEquals(1, shims().size());
    }

    @Test
    void shutdownWithNoTaskLeftEndsTheShimAndItsSocket() throws Exception {
        run(config, "start");
        ProcessHandle shim = shims().getFirst();

        try (TtrpcClient client = TtrpcClient.connect(socket.path())) {
            TaskTtrpcClient.of(client).shutdown(ShutdownRequest.newBuilder().setId(id).build());
        } catch (TtrpcException e) {
            assertEquals(StatusCode.UNAVAILABLE, e.code(), "containerd accepts a closed connection, nothing else: " + e);
        }
        shim.onExit().get(60, TimeUnit.SECONDS);

        assertFalse(Files.exists(socket.path()), socket.path() + " left behind");
    }

    @Test
    void sigtermEndsAServingShimAndItsSocket() throws Exception {
        run(config, "start");
        ProcessHandle shim = shims().getFirst();
        awaitServing();

        shim.destroy();
        shim.onExit().get(60, TimeUnit.SECONDS);

        assertFalse(Files.exists(socket.path()), socket.path() + " left behind");
    }

    @Test
    void aBrokenConfigFailsStartNamingTheProblem() throws Exception {
        Files.writeString(config, "[hypervisor.qemu]\ndefault_memory = \"lots\"\n");

        Result start = run(config, "start");

        assertEquals(new Result(1, "", "containerd-shim-vcj-v2: " + config
                + ":2: [hypervisor.qemu] default_memory: must be an integer, got a string \"lots\"\n"), start);
        assertFalse(Files.exists(socket.path()));
        assertEquals(List.of(), shims());
    }

    private Result run(Path vcjConfig, String action) throws Exception {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(),
                "--sun-misc-unsafe-memory-access=allow", "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), ShimMain.class.getName(),
                "-namespace", "ns", "-address", containerdAddress.toString(), "-id", id, action));
        ProcessBuilder builder = new ProcessBuilder(command).directory(bundle.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        builder.environment().put("VCJ_CONFIG", vcjConfig.toString());
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes());
        String err = new String(process.getErrorStream().readAllBytes());
        return new Result(process.waitFor(), out, err);
    }

    /** The socket accepts as soon as start has bound it; a request is answered once the shim runs. */
    private void awaitServing() throws Exception {
        try (TtrpcClient client = TtrpcClient.connect(socket.path())) {
            assertThrows(TtrpcException.class,
                    () -> TaskTtrpcClient.of(client).state(StateRequest.newBuilder().setId("no-such-task").build()));
        }
    }

    /** Long-lived shims of this test: started for our id, with no action word. */
    private List<ProcessHandle> shims() {
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().orElse("").contains(id))
                .filter(p -> !p.info().commandLine().orElse("").endsWith(" start"))
                .toList();
    }

    private record Result(int exitCode, String stdout, String stderr) {
    }
}
