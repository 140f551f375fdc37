package io.vcj.kata.guest.service;

import io.vcj.kata.proto.BlkioStats;
import io.vcj.kata.proto.BlkioStatsEntry;
import io.vcj.kata.proto.CgroupStats;
import io.vcj.kata.proto.CpuStats;
import io.vcj.kata.proto.CpuUsage;
import io.vcj.kata.proto.HugetlbStats;
import io.vcj.kata.proto.MemoryData;
import io.vcj.kata.proto.MemoryStats;
import io.vcj.kata.proto.PidsStats;
import io.vcj.kata.proto.ThrottlingData;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns the {@code data} of runc's stats event (runc's types.Stats as JSON) into the agent's CgroupStats. */
final class CgroupStatsReader {
    private CgroupStatsReader() {
    }

    static CgroupStats read(Map<String, Object> runcStats) {
        Map<String, Object> cpu = object(runcStats, "cpu");
        Map<String, Object> usage = object(cpu, "usage");
        Map<String, Object> throttling = object(cpu, "throttling");
        Map<String, Object> memory = object(runcStats, "memory");
        Map<String, Object> pids = object(runcStats, "pids");
        Map<String, Object> blkio = object(runcStats, "blkio");

        CgroupStats.Builder stats = CgroupStats.newBuilder()
                .setCpuStats(CpuStats.newBuilder()
                        .setCpuUsage(CpuUsage.newBuilder()
                                .setTotalUsage(number(usage, "total"))
                                .addAllPercpuUsage(numbers(usage, "percpu"))
                                .setUsageInKernelmode(number(usage, "kernel"))
                                .setUsageInUsermode(number(usage, "user")))
                        .setThrottlingData(ThrottlingData.newBuilder()
                                .setPeriods(number(throttling, "periods"))
                                .setThrottledPeriods(number(throttling, "throttled_periods"))
                                .setThrottledTime(number(throttling, "throttled_time"))))
                .setMemoryStats(MemoryStats.newBuilder()
                        .setCache(number(memory, "cache"))
                        .setUsage(memoryData(object(memory, "usage")))
                        .setSwapUsage(memoryData(object(memory, "swap")))
                        .setKernelUsage(memoryData(object(memory, "kernel")))
                        .setUseHierarchy(Boolean.TRUE.equals(memory.get("use_hierarchy")))
                        .putAllStats(numberMap(object(memory, "raw"))))
                .setPidsStats(PidsStats.newBuilder()
                        .setCurrent(number(pids, "current"))
                        .setLimit(number(pids, "limit")))
                .setBlkioStats(BlkioStats.newBuilder()
                        .addAllIoServiceBytesRecursive(blkioEntries(blkio, "ioServiceBytesRecursive"))
                        .addAllIoServicedRecursive(blkioEntries(blkio, "ioServicedRecursive"))
                        .addAllIoQueuedRecursive(blkioEntries(blkio, "ioQueueRecursive"))
                        .addAllIoServiceTimeRecursive(blkioEntries(blkio, "ioServiceTimeRecursive"))
                        .addAllIoWaitTimeRecursive(blkioEntries(blkio, "ioWaitTimeRecursive"))
                        .addAllIoMergedRecursive(blkioEntries(blkio, "ioMergedRecursive"))
                        .addAllIoTimeRecursive(blkioEntries(blkio, "ioTimeRecursive"))
                        .addAllSectorsRecursive(blkioEntries(blkio, "sectorsRecursive")));
        for (Map.Entry<String, Object> pageSize : object(runcStats, "hugetlb").entrySet()) {
            Map<String, Object> h = cast(pageSize.getValue());
            stats.putHugetlbStats(pageSize.getKey(), HugetlbStats.newBuilder()
                    .setUsage(number(h, "usage"))
                    .setMaxUsage(number(h, "max"))
                    .setFailcnt(number(h, "failcnt"))
                    .build());
        }
        return stats.build();
    }

    private static MemoryData memoryData(Map<String, Object> data) {
        return MemoryData.newBuilder()
                .setUsage(number(data, "usage"))
                .setMaxUsage(number(data, "max"))
                .setFailcnt(number(data, "failcnt"))
                .setLimit(number(data, "limit"))
                .build();
    }

    private static List<BlkioStatsEntry> blkioEntries(Map<String, Object> blkio, String key) {
        return list(blkio, key).stream()
                .map(CgroupStatsReader::cast)
                .map(e -> BlkioStatsEntry.newBuilder()
                        .setMajor(number(e, "major"))
                        .setMinor(number(e, "minor"))
                        .setOp(String.valueOf(e.getOrDefault("op", "")))
                        .setValue(number(e, "value"))
                        .build())
                .toList();
    }

    private static Map<String, Long> numberMap(Map<String, Object> map) {
        Map<String, Long> numbers = new LinkedHashMap<>();
        map.forEach((k, v) -> {
            if (v instanceof Long n) {
                numbers.put(k, n);
            }
        });
        return numbers;
    }

    /** runc omits empty sections and zero counters, so absent reads as empty or 0. */
    private static Map<String, Object> object(Map<String, Object> map, String key) {
        Object v = map.get(key);
        return v instanceof Map<?, ?> ? cast(v) : Map.of();
    }

    private static List<?> list(Map<String, Object> map, String key) {
        Object v = map.get(key);
        return v instanceof List<?> l ? l : List.of();
    }

    private static long number(Map<String, Object> map, String key) {
        return map.get(key) instanceof Long n ? n : 0L;
    }

    private static List<Long> numbers(Map<String, Object> map, String key) {
        return list(map, key).stream().map(n -> n instanceof Long l ? l : 0L).toList();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Object map) {
        return (Map<String, Object>) map;
    }
}
