package io.vcj.it.vm;

import io.vcj.it.BusyboxRootfs;
import io.vcj.it.HostRequirements;
import io.vcj.kata.client.KataAgentFactory;
import io.vcj.qemu.QemuHypervisor;
import io.vcj.vc.HypervisorFactory;
import io.vcj.vc.ProcessIo;
import io.vcj.vc.VirtContainers;
import io.vcj.vc.config.AgentConfig;
import io.vcj.vc.config.Cmd;
import io.vcj.vc.config.ContainerConfig;
import io.vcj.vc.config.Rootfs;
import io.vcj.vc.config.SandboxConfig;
import io.vcj.vc.device.VfioDevices;
import io.vcj.vc.hypervisor.Device;
import io.vcj.vc.hypervisor.HypervisorConfig;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * VirtContainers on QEMU (TCG) with the kata agent, its state in a fresh short directory under
 * /tmp (QEMU's socket paths must stay under 108 bytes), and busybox container root filesystems.
 * Closing it stops and deletes whatever sandbox is left and removes the directory.
 */
public final class VmPods implements AutoCloseable {
    static final String QEMU = "qemu";
    public static final Path QEMU_BINARY = Path.of("/usr/bin/qemu-system-x86_64");
    /** The guest boots under TCG on a shared, loaded host: a boot may take a minute. */
    static final AgentConfig AGENT = new AgentConfig(Duration.ofSeconds(180), false);

    public final Path dir;
    public final Path root;
    public final VirtContainers vc;
    private final Path busybox;

    public VmPods() throws IOException, InterruptedException {
        this(VfioDevices.NONE);
    }

    /** Pods whose containers' VFIO device nodes {@code vfio} resolves. */
    public VmPods(VfioDevices vfio) throws IOException, InterruptedException {
        this(vfio, false);
    }

    private VmPods(VfioDevices vfio, boolean templates) throws IOException, InterruptedException {
        busybox = HostRequirements.assumeStaticBusybox();
        dir = Files.createTempDirectory(Path.of("/tmp"), "vcjit");
        root = dir.resolve("r");
        vc = open(root, vfio, templates ? templates() : null);
    }

    /** Pods started from VM templates kept in {@link #templates()}. */
    public static VmPods withTemplates() throws IOException, InterruptedException {
        return new VmPods(VfioDevices.NONE, true);
    }

    public Path templates() {
        return dir.resolve("t");
    }

    /** Another instance on the same state, as a second process would have. */
    public static VirtContainers open(Path root) {
        return open(root, VfioDevices.NONE, null);
    }

    private static VirtContainers open(Path root, VfioDevices vfio, Path templates) {
        return VirtContainers.builder()
                .root(root)
                .hypervisor(QEMU, HypervisorFactory.withReattach(QemuHypervisor::new, QemuHypervisor::attach))
                .agent(KataAgentFactory.TYPE, new KataAgentFactory())
                .vfio(vfio)
                .vmTemplates(templates)
                .build();
    }

    public static HypervisorConfig hypervisor(Path kernel, Path initrd, Path qemu) {
        return new HypervisorConfig(kernel, initrd, null, null, qemu, "q35", null, "tcg", List.of(), List.of(),
                1, 512, Device.SharedFs.VIRTIO_9P, null, null, false, Map.of());
    }

    public static SandboxConfig.Builder sandbox(String id, HypervisorConfig hypervisor) {
        return SandboxConfig.builder(id).vm(1, 512).hypervisor(QEMU, hypervisor).agent(KataAgentFactory.TYPE, AGENT);
    }

    /** A container on its own busybox rootfs, running {@code args}. */
    public ContainerConfig container(String id, String... args) throws IOException {
        Path rootfs = dir.resolve("rootfs-" + id);
        if (!Files.exists(rootfs)) {
            rootfs(busybox, rootfs);
        }
        return ContainerConfig.of(id, new Rootfs.HostPath(rootfs), Cmd.of(args));
    }

    public static Path rootfs(Path busybox, Path dir) throws IOException {
        BusyboxRootfs.create(busybox, dir);
        // runc would create these mount points through the 9p share; made here, they need no write in the guest
        for (String mountPoint : List.of("proc", "dev", "sys", "tmp")) {
            Files.createDirectories(dir.resolve(mountPoint));
        }
        return dir;
    }

    /** Everything the process writes to stdout, until it closes it. */
    public static String stdout(ProcessIo io) throws IOException {
        try (InputStream out = io.stdout()) {
            return new String(out.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            for (var sandbox : vc.listSandbox()) {
                vc.stopSandbox(sandbox.id());
                vc.deleteSandbox(sandbox.id());
            }
        } finally {
            vc.close();
            deleteTree(dir);
        }
    }

    static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
