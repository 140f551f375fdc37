package io.vcj.kata.client;

import io.vcj.kata.proto.CgroupStats;
import io.vcj.kata.proto.WaitProcessResponse;
import io.vcj.vc.ContainerStats;
import io.vcj.vc.ExitStatus;

import java.time.Instant;

/** Kata agent replies as vc-core values. */
final class KataResponses {
    /**
     * Memory limits at or above this mean "no limit": cgroup v1 reports the largest page-aligned
     * long, cgroup v2 "max" (which agents report as the largest uint64).
     */
    private static final long UNLIMITED_MEMORY = 1L << 62;

    private KataResponses() {
    }

    /** The guest does not say when the process exited; the reply's arrival is as close as the host can tell. */
    static ExitStatus exitStatus(WaitProcessResponse response) {
        return new ExitStatus(response.getStatus(), Instant.now());
    }

    static ContainerStats stats(CgroupStats stats) {
        var cpu = stats.getCpuStats().getCpuUsage();
        var memory = stats.getMemoryStats().getUsage();
        long limit = memory.getLimit();
        boolean unlimited = limit < 0 || limit >= UNLIMITED_MEMORY;
        return new ContainerStats(cpu.getTotalUsage(), cpu.getUsageInUsermode(), cpu.getUsageInKernelmode(),
                memory.getUsage(), unlimited ? 0 : limit, stats.getPidsStats().getCurrent());
    }
}
