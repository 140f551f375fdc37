package io.vcj.it.storage;

import io.vcj.it.vm.VmPods;
import io.vcj.vc.VirtContainers;
import io.vcj.vc.config.Cmd;
import io.vcj.vc.config.ContainerConfig;
import io.vcj.vc.config.Mount;
import io.vcj.vc.config.OciSpecs;
import io.vcj.vc.config.Rootfs;
import io.vcj.vc.hypervisor.Device;
import io.vcj.vc.hypervisor.HypervisorConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sequential write then read of a 256 MiB file in a container, on /data over each way vcj gives a
 * container storage: a host directory over virtio-9p, the same over virtio-fs, an ext4 disk (a loop
 * device) hot-plugged as virtio-blk; and, as the yardstick, runc on the host writing the same host
 * directory. The write is dd with conv=fsync; the page cache is dropped before the read (in the
 * guest for the VMs, on the host for runc), so the read comes from the storage path.
 * scripts/bench-fs runs it.
 *
 * <p>Usage: FsBench KERNEL INITRD VIRTIOFSD DATA-DIR (DATA-DIR on the host fs to measure, with 1 GiB free).
 */
public final class FsBench {
    private static final int MIB = 256;
    /** Times from /proc/uptime (10 ms steps): the container's busybox dd reports no duration. */
    private static final String DD = "t() { read up idle < /proc/uptime; echo $up; };"
            + " w0=$(t); dd if=/dev/zero of=/data/f bs=1M count=" + MIB + " conv=fsync 2>/dev/null; w1=$(t); sync;"
            + " echo 3 > /proc/sys/vm/drop_caches || echo 'drop_caches failed';"
            + " r0=$(t); dd if=/data/f of=/dev/null bs=1M 2>/dev/null; r1=$(t); rm /data/f;"
            + " echo write $w0 $w1 read $r0 $r1";
    private static final Pattern TIMES = Pattern.compile("write ([0-9.]+) ([0-9.]+) read ([0-9.]+) ([0-9.]+)");

    private record Result(double writeSeconds, double readSeconds) {
        double writeMiBs() {
            return MIB / writeSeconds;
        }

        double readMiBs() {
            return MIB / readSeconds;
        }
    }

    public static void main(String[] args) throws Exception {
        Path kernel = Path.of(args[0]);
        Path initrd = Path.of(args[1]);
        Path virtiofsd = Path.of(args[2]);
        Path data = Files.createDirectories(Path.of(args[3]));
        var results = new LinkedHashMap<String, Result>();
        try (var pods = new VmPods()) {
            Path rootfs = VmPods.rootfs(Path.of("/bin/busybox"), pods.dir.resolve("rootfs"));
            Files.createDirectories(rootfs.resolve("data"));
            Mount hostDir = new Mount(data.toString(), "/data", "bind", List.of("rbind", "rw"));
            results.put("runc, host fs", parse(runc(rootfs, data, pods.dir.resolve("bundle"))));
            results.put("vcj virtio-9p", parse(inPod(pods, "p9", hypervisor(kernel, initrd, Device.SharedFs.VIRTIO_9P, null),
                    rootfs, hostDir)));
            results.put("vcj virtio-fs", parse(inPod(pods, "pfs", hypervisor(kernel, initrd, Device.SharedFs.VIRTIO_FS, virtiofsd),
                    rootfs, hostDir)));
            Path empty = Files.createDirectories(pods.dir.resolve("empty"));
            try (LoopDevice disk = LoopDevice.ext4(data.resolve("disk.img"), 2 * MIB + 64, empty)) {
                results.put("vcj virtio-blk", parse(inPod(pods, "pblk", hypervisor(kernel, initrd, Device.SharedFs.VIRTIO_9P, null),
                        rootfs, new Mount(disk.device.toString(), "/data", "ext4", List.of("rw")))));
            } finally {
                Files.deleteIfExists(data.resolve("disk.img"));
            }
        }
        print(results);
    }

    private static HypervisorConfig hypervisor(Path kernel, Path initrd, Device.SharedFs fs, Path virtiofsd) {
        HypervisorConfig h = VmPods.hypervisor(kernel, initrd, VmPods.QEMU_BINARY);
        return new HypervisorConfig(h.kernelPath(), h.initrdPath(), null, null, h.hypervisorPath(), h.machineType(),
                null, h.accelerator(), List.of(), List.of(), 1, 1024, fs, virtiofsd, null, false, Map.of());
    }

    private static String inPod(VmPods pods, String id, HypervisorConfig hypervisor, Path rootfs, Mount data)
            throws Exception {
        VirtContainers vc = pods.vc;
        vc.runSandbox(VmPods.sandbox(id, hypervisor).vm(1, 1024).container(new ContainerConfig("dd", new Rootfs.HostPath(rootfs),
                false, Cmd.of("sh", "-c", DD), List.of(data), List.of(), Map.of(), null)).build());
        try {
            String out = VmPods.stdout(vc.processIo(id, "dd", ""));
            System.err.printf("%s:%n%s", id, out);
            return out;
        } finally {
            vc.stopSandbox(id);
            vc.deleteSandbox(id);
        }
    }

    /** The same dd under runc on the host, in a bundle with the busybox rootfs and the data directory bound. */
    private static String runc(Path rootfs, Path data, Path bundle) throws Exception {
        var config = ContainerConfig.of("dd", new Rootfs.HostPath(rootfs), Cmd.of("sh", "-c", DD));
        var withData = new ContainerConfig("dd", config.rootfs(), false, config.cmd(),
                List.of(new Mount(data.toString(), "/data", "bind", List.of("rbind", "rw"))), List.of(), Map.of(), null);
        var spec = OciSpecs.build(withData, "fsbench");
        spec.putObject("root").put("path", rootfs.toString()).put("readonly", false);
        Files.createDirectories(bundle);
        Files.writeString(bundle.resolve("config.json"), spec.toString());
        Process runc = new ProcessBuilder("runc", "run", "--bundle", bundle.toString(), "vcj-fsbench-" + ProcessHandle.current().pid())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectErrorStream(true).start();
        String out = new String(runc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (runc.waitFor() != 0) {
            throw new IllegalStateException("runc run failed: " + out);
        }
        System.err.printf("runc:%n%s", out);
        return out;
    }

    private static Result parse(String output) {
        Matcher m = TIMES.matcher(output);
        if (!m.find()) {
            throw new IllegalStateException("expected the write and read times, got: " + output);
        }
        return new Result(seconds(m.group(1), m.group(2)), seconds(m.group(3), m.group(4)));
    }

    private static double seconds(String from, String to) {
        return Math.max(0.01, Double.parseDouble(to) - Double.parseDouble(from));
    }

    private static void print(Map<String, Result> results) {
        Result base = results.get("runc, host fs");
        System.out.printf(Locale.ROOT, "%-16s %12s %8s %12s %8s%n", "256 MiB", "write MiB/s", "vs runc", "read MiB/s", "vs runc");
        results.forEach((name, r) -> System.out.printf(Locale.ROOT, "%-16s %12.1f %7.2fx %12.1f %7.2fx%n", name,
                r.writeMiBs(), r.writeMiBs() / base.writeMiBs(), r.readMiBs(), r.readMiBs() / base.readMiBs()));
    }
}
