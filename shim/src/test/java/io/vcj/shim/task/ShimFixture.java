package io.vcj.shim.task;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vcj.shim.events.RecordingEventsServer;
import io.vcj.shim.events.TtrpcEventPublisher;
import io.vcj.shim.proto.task.TaskTtrpcClient;
import io.vcj.ttrpc.TtrpcClient;
import io.vcj.ttrpc.TtrpcServer;
import io.vcj.vc.SandboxStatus;
import io.vcj.vc.State;
import io.vcj.vc.VirtContainers;
import io.vcj.vc.config.AgentConfig;
import io.vcj.vc.config.Mount;
import io.vcj.vc.config.SandboxConfig;
import io.vcj.vc.host.HostMounter;
import io.vcj.vc.hypervisor.HypervisorConfig;
import io.vcj.vc.mock.Faults;
import io.vcj.vc.mock.MockAgent;
import io.vcj.vc.mock.MockGuest;
import io.vcj.vc.mock.MockHypervisor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

/**
 * The Task service as containerd reaches it: served over a real ttrpc Unix socket, on a real
 * VirtContainers whose VMs are vc-core's {@link MockHypervisor}s, publishing to a {@link RecordingEventsServer}.
 */
final class ShimFixture implements AutoCloseable {
    static final String NAMESPACE = "testns";
    private static final ObjectMapper JSON = new ObjectMapper();

    final Path dir;
    private final List<MockHypervisor> vms = new CopyOnWriteArrayList<>();
    final VirtContainers vc;
    final RecordingEventsServer events;
    final CountDownLatch shutdowns = new CountDownLatch(1);
    private final TtrpcEventPublisher publisher;
    private final TtrpcServer server;
    private final TtrpcClient connection;
    final TaskTtrpcClient task;

    ShimFixture(Path dir) throws IOException {
        this.dir = dir;
        Path kernel = Files.writeString(dir.resolve("vmlinux"), "kernel");
        Path initrd = Files.writeString(dir.resolve("initrd.img"), "initrd");
        vc = VirtContainers.builder()
                .root(dir.resolve("run"))
                .hypervisor("fake", this::newVm)
                .agent("fake", config -> new MockAgent(new Faults()))
                .mounter(new NoMounts())
                .build();
        events = new RecordingEventsServer(dir.resolve("events.sock"));
        publisher = new TtrpcEventPublisher(events.address(), NAMESPACE);
        var hypervisor = new HypervisorConfig(kernel, initrd, null, null, Path.of("/bin/true"), "q35", null, "auto",
                List.of(), List.of(), 1, 128, null, null, null, false, Map.of());
        SandboxConfigFactory sandboxes = (id, bundle, spec, annotations) -> SandboxConfig.builder(id)
                .vm(1, 128)
                .hypervisor("fake", hypervisor)
                .agent("fake", new AgentConfig(Duration.ofSeconds(1), false))
                .build();
        server = new TtrpcServer(Thread.ofPlatform().daemon().name("task-handler-", 0).factory());
        server.register(new VcjTaskService(vc, sandboxes, publisher, shutdowns::countDown));
        server.listen(dir.resolve("shim.sock"));
        connection = TtrpcClient.connect(dir.resolve("shim.sock"));
        task = TaskTtrpcClient.of(connection);
    }

    /** A bundle whose config.json runs {@code args}, with the given annotations. */
    Path bundle(String id, List<String> args, Map<String, String> annotations) throws IOException {
        Path bundle = Files.createDirectories(dir.resolve("bundles").resolve(id));
        Files.createDirectories(bundle.resolve("rootfs"));
        ObjectNode spec = JSON.createObjectNode();
        spec.put("ociVersion", "1.1.0");
        ObjectNode process = spec.putObject("process");
        args.forEach(process.putArray("args")::add);
        process.put("cwd", "/");
        spec.putObject("root").put("path", "rootfs");
        ObjectNode specAnnotations = spec.putObject("annotations");
        annotations.forEach(specAnnotations::put);
        JSON.writeValue(bundle.resolve("config.json").toFile(), spec);
        return bundle;
    }

    Path bundle(String id, String... args) throws IOException {
        return bundle(id, List.of(args), Map.of());
    }

    /** A new FIFO in the test directory, as containerd makes them. */
    Path fifo(String name) throws IOException, InterruptedException {
        Path path = dir.resolve(name);
        Process mkfifo = new ProcessBuilder("mkfifo", path.toString()).inheritIO().start();
        if (mkfifo.waitFor() != 0) {
            throw new IOException("mkfifo " + path + " failed");
        }
        return path;
    }

    private MockHypervisor newVm() {
        MockHypervisor vm = new MockHypervisor(new Faults());
        vms.add(vm);
        return vm;
    }

    /** Every VM started, in order. */
    List<MockHypervisor> vms() {
        return List.copyOf(vms);
    }

    /** The VMs still running. */
    List<MockHypervisor> runningVms() {
        return vms.stream().filter(MockHypervisor::running).toList();
    }

    /** The inside of the one VM running. */
    MockGuest guest() {
        return runningVms().getFirst().guest();
    }

    @Override
    public void close() {
        connection.close();
        server.close();
        for (SandboxStatus sandbox : vc.listSandbox()) {
            if (sandbox.state() != State.STOPPED) {
                vc.stopSandbox(sandbox.id());
            }
            vc.deleteSandbox(sandbox.id());
        }
        vc.close();
        publisher.close();
        events.close();
    }

    /** The containers' filesystems need no real mounts here. */
    private static final class NoMounts implements HostMounter {
        @Override
        public void bind(Path source, Path target, boolean readOnly) {
        }

        @Override
        public void mount(Mount mount, Path target) {
        }

        @Override
        public void unmount(Path target) {
        }

        @Override
        public List<Path> mountsUnder(Path dir) {
            return List.of();
        }
    }
}
