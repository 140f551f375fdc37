package io.vcj.kata.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vcj.kata.proto.CgroupStats;
import io.vcj.kata.proto.CpuStats;
import io.vcj.kata.proto.CpuUsage;
import io.vcj.kata.proto.MemoryData;
import io.vcj.kata.proto.MemoryStats;
import io.vcj.kata.proto.PidsStats;
import io.vcj.kata.proto.WaitProcessResponse;
import io.vcj.vc.ContainerStats;
import org.junit.jupiter.api.Test;

class KataResponsesTest {

    private static CgroupStats stats(long memoryLimit) {
        return CgroupStats.newBuilder()
                .setCpuStats(CpuStats.newBuilder().setCpuUsage(CpuUsage.newBuilder()
                        .setTotalUsage(300).setUsageInUsermode(200).setUsageInKernelmode(100)))
                .setMemoryStats(MemoryStats.newBuilder().setUsage(MemoryData.newBuilder().setUsage(4096).setLimit(memoryLimit)))
                .setPidsStats(PidsStats.newBuilder().setCurrent(3))
                .build();
    }

    @Test
    void statsComeFromTheCgroupCounters() {
        assertEquals(new ContainerStats(300, 200, 100, 4096, 1 << 20, 3), KataResponses.stats(stats(1 << 20)));
    }

    @Test
    void cgroupMaxMemoryMeansNoLimit() {
        assertEquals(0, KataResponses.stats(stats(-1)).memoryLimitBytes());
        assertEquals(0, KataResponses.stats(stats(Long.MAX_VALUE & ~4095L)).memoryLimitBytes());
    }

    @Test
    void exitStatusIsTheGuestStatus() {
        assertEquals(137, KataResponses.exitStatus(WaitProcessResponse.newBuilder().setStatus(137).build()).code());
    }
}
