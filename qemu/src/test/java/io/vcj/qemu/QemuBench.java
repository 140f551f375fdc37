package io.vcj.qemu;

import io.vcj.vc.hypervisor.HypervisorConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Prints how long QEMU takes from exec to an answering QMP, how long the test guest takes to reach
 * its init (wall time, and QEMU's CPU time: the fair number on a busy host, as a TCG guest is one
 * CPU-bound thread), and QEMU's RSS once a 512 MiB TCG guest has booted. Run by qemu/bench.sh, not by mvn verify.
 */
public final class QemuBench {

    private static final int RUNS = 5;

    public static void main(String[] args) throws Exception {
        Path work = Files.createTempDirectory("vcj-qemu-bench");
        try {
            Path kernel = TestGuest.kernel();
            Path initrd = TestGuest.initramfs(work);
            for (String machine : List.of("q35", "microvm")) {
                bench(machine, kernel, initrd, work);
            }
        } finally {
            try (Stream<Path> files = Files.walk(work)) {
                files.sorted(Comparator.reverseOrder()).forEach(Files2::deleteQuietly);
            }
        }
    }

    private static void bench(String machine, Path kernel, Path initrd, Path work) throws Exception {
        HypervisorConfig config = new HypervisorConfig(kernel, initrd, null, null, TestGuest.QEMU, machine, null, "tcg",
                List.of(), List.of(), 1, 512, null, null, null, false, Map.of());
        List<Long> qmpReadyMs = new ArrayList<>();
        List<Long> bootMs = new ArrayList<>();
        List<Long> bootCpuMs = new ArrayList<>();
        List<Long> rssKiB = new ArrayList<>();
        for (int run = 0; run < RUNS; run++) {
            QemuHypervisor vm = new QemuHypervisor(new AcceleratorProbe(work.resolve("cache"), Duration.ofSeconds(1)));
            Path runDir = work.resolve(machine + "-" + run);
            vm.createVM("bench", config, runDir);
            try {
                long start = System.nanoTime();
                vm.startVM(Duration.ofSeconds(30));
                qmpReadyMs.add((System.nanoTime() - start) / 1_000_000);
                TestGuest.awaitConsole(runDir.resolve("console.log"), TestGuest.MARKER, Duration.ofSeconds(120));
                bootMs.add((System.nanoTime() - start) / 1_000_000);
                long pid = vm.pids().getFirst();
                bootCpuMs.add(ProcessHandle.of(pid).orElseThrow().info().totalCpuDuration().orElseThrow().toMillis());
                rssKiB.add(rssKiB(pid));
            } finally {
                vm.stopVM(Duration.ZERO);
            }
        }
        System.out.printf("%-8s 512 MiB TCG, %d runs: exec->QMP ready ms %s (median %d) | exec->guest init ms %s (median %d), "
                        + "QEMU CPU ms to guest init median %d | QEMU RSS after boot MiB median %d | load %.1f%n",
                machine, RUNS, qmpReadyMs, median(qmpReadyMs), bootMs, median(bootMs), median(bootCpuMs),
                median(rssKiB) / 1024, java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    private static long rssKiB(long pid) throws Exception {
        return Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream()
                .filter(line -> line.startsWith("VmRSS:"))
                .map(line -> Long.parseLong(line.replaceAll("\\D", "")))
                .findFirst().orElseThrow();
    }

    private static long median(List<Long> values) {
        return values.stream().sorted().toList().get(values.size() / 2);
    }
}
