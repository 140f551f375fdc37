package io.vcj.it.vm;

import io.vcj.it.ProcessCpu;
import io.vcj.kata.client.KataAgentFactory;
import io.vcj.qemu.QemuHypervisor;
import io.vcj.vc.HypervisorFactory;
import io.vcj.vc.VirtContainers;
import io.vcj.vc.agent.Agent;
import io.vcj.vc.agent.AgentFactory;
import io.vcj.vc.config.Cmd;
import io.vcj.vc.config.ContainerConfig;
import io.vcj.vc.config.Rootfs;
import io.vcj.vc.config.SandboxConfig;
import io.vcj.vc.hypervisor.AgentChannel;
import io.vcj.vc.hypervisor.HypervisorConfig;

import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * Times {@code runSandbox} of a pod whose one container runs {@code echo hello}, from the call to
 * (a) the agent answering its health check and (b) the container's first byte of output, in wall
 * time and in CPU time used by QEMU, and reads QEMU's RSS once the output is there.
 * scripts/bench-sandbox runs it next to scripts/bench-boot's bare boot (the floor).
 *
 * <p>Usage: SandboxBench KERNEL INITRD RUNS FIRMWARE boot|template [KERNEL-PARAM...] (FIRMWARE "-" for
 * QEMU's own), so that the pod boots with the same firmware and kernel parameters as the floor it is
 * compared to. With {@code template}, pods resume a VM template; the first pod, which makes it, is
 * timed on its own and not counted.
 */
public final class SandboxBench {

    private record Sample(long readyMillis, long outputMillis, long readyCpuMillis, long outputCpuMillis, long rssKiB,
                          String rssParts) {
    }

    public static void main(String[] args) throws Exception {
        Path kernel = Path.of(args[0]);
        Path initrd = Path.of(args[1]);
        int runs = Integer.parseInt(args[2]);
        Path firmware = args[3].equals("-") ? null : Path.of(args[3]);
        boolean templates = switch (args[4]) {
            case "boot" -> false;
            case "template" -> true;
            default -> throw new IllegalArgumentException("mode must be boot or template, not " + args[4]);
        };
        List<String> kernelParams = List.of(args).subList(5, args.length);
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "vcjbench");
        Path rootfs = dir.resolve("rootfs");
        Path templateDir = templates ? dir.resolve("t") : null;
        VmPods.rootfs(Path.of("/bin/busybox"), rootfs);
        List<Sample> samples = new ArrayList<>();
        HypervisorConfig hypervisor = hypervisor(kernel, initrd, firmware, kernelParams);
        try {
            if (templates) {
                long start = System.nanoTime();
                runOnce(dir.resolve("r0"), hypervisor, rootfs, "bench0", templateDir);
                System.out.printf(Locale.ROOT, "template made by the first pod: its first output after %d ms (wall)%n",
                        (System.nanoTime() - start) / 1_000_000);
            }
            for (int i = 1; i <= runs; i++) {
                Sample sample = runOnce(dir.resolve("r" + i), hypervisor, rootfs, "bench" + i, templateDir);
                System.out.printf(Locale.ROOT, "run %d: agent ready %d ms, first output %d ms | qemu cpu %d / %d ms | qemu rss %d MiB (%s)%n",
                        i, sample.readyMillis(), sample.outputMillis(), sample.readyCpuMillis(), sample.outputCpuMillis(),
                        sample.rssKiB() / 1024, sample.rssParts());
                samples.add(sample);
            }
        } finally {
            VmPods.deleteTree(dir);
        }
        System.out.printf(Locale.ROOT, "p50 wall: agent ready %d ms, first output %d ms%n",
                p50(samples, Sample::readyMillis), p50(samples, Sample::outputMillis));
        System.out.printf(Locale.ROOT, "p50 qemu cpu: agent ready %d ms, first output %d ms%n",
                p50(samples, Sample::readyCpuMillis), p50(samples, Sample::outputCpuMillis));
        System.out.printf(Locale.ROOT, "p50 qemu rss: %d MiB%n", p50(samples, Sample::rssKiB) / 1024);
    }

    private static HypervisorConfig hypervisor(Path kernel, Path initrd, Path firmware, List<String> kernelParams) {
        HypervisorConfig h = VmPods.hypervisor(kernel, initrd, VmPods.QEMU_BINARY);
        return new HypervisorConfig(h.kernelPath(), h.initrdPath(), null, firmware, h.hypervisorPath(), h.machineType(),
                null, h.accelerator(), kernelParams, List.of(), h.vcpus(), h.memoryMiB(), h.sharedFs(), null, null,
                false, Map.of());
    }

    private static Sample runOnce(Path root, HypervisorConfig hypervisor, Path rootfs, String id, Path templates)
            throws Exception {
        long[] connected = new long[2];
        try (VirtContainers vc = VirtContainers.builder()
                .root(root)
                .hypervisor(VmPods.QEMU, HypervisorFactory.withReattach(QemuHypervisor::new, QemuHypervisor::attach))
                .agent(KataAgentFactory.TYPE, timed(new KataAgentFactory(), connected))
                .vmTemplates(templates)
                .build()) {
            SandboxConfig config = VmPods.sandbox(id, hypervisor)
                    .container(ContainerConfig.of("hello", new Rootfs.HostPath(rootfs), Cmd.of("echo", "hello")))
                    .build();
            long start = System.nanoTime();
            try {
                vc.runSandbox(config);
                long qemu = vc.statusSandbox(id).vmPids().getFirst();
                try (InputStream out = vc.processIo(id, "hello", "").stdout()) {
                    if (out.read() < 0) {
                        throw new IllegalStateException("the container printed nothing");
                    }
                }
                long output = System.nanoTime();
                return new Sample((connected[0] - start) / 1_000_000, (output - start) / 1_000_000,
                        connected[1], ProcessCpu.millis(qemu), status(qemu, "VmRSS"),
                        "anon %d, file %d, shmem %d MiB".formatted(status(qemu, "RssAnon") / 1024,
                                status(qemu, "RssFile") / 1024, status(qemu, "RssShmem") / 1024));
            } finally {
                vc.stopSandbox(id);
                vc.deleteSandbox(id);
            }
        }
    }

    /**
     * The factory's agents note when {@code connect} returned, i.e. when the guest agent first
     * answered: {@code connected[0]} in wall time, {@code connected[1]} as QEMU's CPU time then (its
     * pid from qemu.pid beside the agent socket, see the qemu module's README).
     */
    private static AgentFactory timed(AgentFactory factory, long[] connected) {
        return config -> {
            Agent agent = factory.create(config);
            return (Agent) Proxy.newProxyInstance(Agent.class.getClassLoader(), new Class<?>[]{Agent.class},
                    (proxy, method, args) -> {
                        Object result;
                        try {
                            result = method.invoke(agent, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                        if (method.getName().equals("connect") && connected[0] == 0) {
                            connected[0] = System.nanoTime();
                            Path socket = ((AgentChannel.SerialSocket) args[0]).socket();
                            connected[1] = ProcessCpu.millis(Long.parseLong(Files.readString(socket.resolveSibling("qemu.pid")).strip()));
                        }
                        return result;
                    });
        };
    }

    /** A KiB field of /proc/PID/status, e.g. VmRSS. */
    private static long status(long pid, String field) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no " + field + " for " + pid);
    }

    private static long p50(List<Sample> samples, ToLongFunction<Sample> value) {
        long[] sorted = samples.stream().mapToLong(value).sorted().toArray();
        return sorted[sorted.length / 2];
    }
}
