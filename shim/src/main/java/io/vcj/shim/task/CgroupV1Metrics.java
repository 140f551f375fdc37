package io.vcj.shim.task;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import io.vcj.vc.ContainerStats;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A container's stats as containerd's cgroups v1 {@code io.containerd.cgroups.v1.Metrics}, which is
 * what {@code ctr task metrics} and the CRI plugin decode (Kata reports the same type). Only the
 * fields vc measures are set; they are encoded by hand (field numbers from containerd/cgroups
 * stats/v1/metrics.proto) rather than compiling that whole proto for five numbers.
 */
final class CgroupV1Metrics {
    static final String TYPE_URL = "io.containerd.cgroups.v1.Metrics";

    // Metrics
    private static final int PIDS = 2;
    private static final int CPU = 3;
    private static final int MEMORY = 4;
    // PidsStat
    private static final int PIDS_CURRENT = 1;
    // CPUStat
    private static final int CPU_USAGE = 1;
    // CPUUsage
    private static final int USAGE_TOTAL = 1;
    private static final int USAGE_KERNEL = 2;
    private static final int USAGE_USER = 3;
    // MemoryStat
    private static final int MEMORY_USAGE = 33;
    // MemoryEntry
    private static final int ENTRY_LIMIT = 1;
    private static final int ENTRY_USAGE = 2;

    private CgroupV1Metrics() {
    }

    static Any of(ContainerStats stats) {
        byte[] cpuUsage = message(out -> {
            out.writeUInt64(USAGE_TOTAL, stats.cpuUsageNanos());
            out.writeUInt64(USAGE_KERNEL, stats.cpuKernelNanos());
            out.writeUInt64(USAGE_USER, stats.cpuUserNanos());
        });
        byte[] memoryUsage = message(out -> {
            out.writeUInt64(ENTRY_LIMIT, stats.memoryLimitBytes());
            out.writeUInt64(ENTRY_USAGE, stats.memoryUsageBytes());
        });
        byte[] metrics = message(out -> {
            out.writeByteArray(PIDS, message(pids -> pids.writeUInt64(PIDS_CURRENT, stats.pids())));
            out.writeByteArray(CPU, message(cpu -> cpu.writeByteArray(CPU_USAGE, cpuUsage)));
            out.writeByteArray(MEMORY, message(memory -> memory.writeByteArray(MEMORY_USAGE, memoryUsage)));
        });
        return Any.newBuilder().setTypeUrl(TYPE_URL).setValue(ByteString.copyFrom(metrics)).build();
    }

    @FunctionalInterface
    private interface Fields {
        void write(CodedOutputStream out) throws IOException;
    }

    private static byte[] message(Fields fields) {
        try {
            var bytes = new ByteArrayOutputStream();
            CodedOutputStream out = CodedOutputStream.newInstance(bytes);
            fields.write(out);
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
