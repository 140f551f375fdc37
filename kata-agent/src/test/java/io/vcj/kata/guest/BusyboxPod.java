package io.vcj.kata.guest;

import io.vcj.kata.guest.container.ContainerPaths;
import io.vcj.kata.guest.fs.FileTrees;
import io.vcj.kata.guest.runc.Runc;
import io.vcj.kata.proto.Linux;
import io.vcj.kata.proto.LinuxNamespace;
import io.vcj.kata.proto.Mount;
import io.vcj.kata.proto.Process;
import io.vcj.kata.proto.Root;
import io.vcj.kata.proto.Spec;
import io.vcj.kata.proto.User;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * A guest layout in a temp dir for tests on the host: a private runc root, a shared dir where
 * container rootfs made of busybox-static appear as the host would share them, and specs like
 * the ones the host sends.
 */
public final class BusyboxPod implements AutoCloseable {
    private static final String BUSYBOX = "/bin/busybox";
    private static final List<String> APPLETS = List.of("sh", "echo", "cat", "sleep", "ps", "true", "ls", "tty", "stty");

    public final Path dir;
    public final ContainerPaths paths;
    public final Runc runc;

    public BusyboxPod() throws IOException {
        dir = Files.createTempDirectory("vcj-guest-test");
        paths = new ContainerPaths(dir.resolve("shared"), dir.resolve("bundles"), "/" + dir.getFileName());
        runc = new Runc("runc", dir.resolve("runc-root"), false);
    }

    /** Lays out {@code <shared>/<id>/rootfs} with busybox and a few applet links. */
    public void rootfs(String containerId) throws IOException {
        Path bin = paths.rootfs(containerId).resolve("bin");
        Files.createDirectories(bin);
        Files.copy(Path.of(BUSYBOX), bin.resolve("busybox"));
        for (String applet : APPLETS) {
            Files.createSymbolicLink(bin.resolve(applet), Path.of("busybox"));
        }
        for (String d : List.of("proc", "dev", "sys", "tmp")) {
            Files.createDirectories(paths.rootfs(containerId).resolve(d));
        }
    }

    /** A spec as the host would send it, including host-only bits the guest must drop. */
    public static Spec spec(String... args) {
        return Spec.newBuilder()
                .setVersion("1.0.2")
                .setProcess(process(args))
                .setRoot(Root.newBuilder().setPath("rootfs"))
                .setHostname("busybox")
                .addMounts(Mount.newBuilder().setDestination("/proc").setType("proc").setSource("proc"))
                .addMounts(Mount.newBuilder().setDestination("/dev").setType("tmpfs").setSource("tmpfs")
                        .addAllOptions(List.of("nosuid", "strictatime", "mode=755", "size=65536k")))
                .addMounts(Mount.newBuilder().setDestination("/dev/pts").setType("devpts").setSource("devpts")
                        .addAllOptions(List.of("nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620")))
                .addMounts(Mount.newBuilder().setDestination("/etc/hostname").setType("bind")
                        .setSource("/nonexistent/host/path/hostname").addAllOptions(List.of("rbind", "ro")))
                .setLinux(Linux.newBuilder()
                        .setCgroupsPath("/host/cgroup/path")
                        .addNamespaces(LinuxNamespace.newBuilder().setType("pid"))
                        .addNamespaces(LinuxNamespace.newBuilder().setType("ipc"))
                        .addNamespaces(LinuxNamespace.newBuilder().setType("uts"))
                        .addNamespaces(LinuxNamespace.newBuilder().setType("mount"))
                        .addNamespaces(LinuxNamespace.newBuilder().setType("network").setPath("/var/run/netns/host-only")))
                .build();
    }

    public static Process process(String... args) {
        return Process.newBuilder()
                .addAllArgs(List.of(args))
                .addEnv("PATH=/bin")
                .setCwd("/")
                .setUser(User.newBuilder().setUID(0).setGID(0))
                .build();
    }

    /** runc removes a container's cgroup but not the parent it created for it. */
    private void removeCgroupParent() throws IOException {
        try (Stream<Path> hierarchies = Files.list(Path.of("/sys/fs/cgroup"))) {
            for (Path hierarchy : hierarchies.toList()) {
                Path parent = hierarchy.resolve(paths.cgroupParent().substring(1));
                if (Files.isDirectory(parent)) {
                    Files.delete(parent);
                }
            }
        }
    }

    /** Removes every container runc still knows under the private root, then the temp dir. */
    @Override
    public void close() throws IOException {
        if (Files.exists(dir.resolve("runc-root"))) {
            for (String id : runc.list().keySet()) {
                runc.delete(id);
            }
        }
        removeCgroupParent();
        FileTrees.delete(dir);
    }
}
