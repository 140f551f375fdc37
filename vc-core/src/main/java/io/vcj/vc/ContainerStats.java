package io.vcj.vc;

/**
 * Resource usage of a container inside the guest, from its cgroup.
 *
 * @param cpuUsageNanos    total CPU time consumed
 * @param cpuUserNanos     of which in user mode
 * @param cpuKernelNanos   of which in kernel mode
 * @param memoryUsageBytes current memory usage
 * @param memoryLimitBytes memory limit, 0 when unlimited
 * @param pids             number of tasks
 */
public record ContainerStats(long cpuUsageNanos, long cpuUserNanos, long cpuKernelNanos,
                             long memoryUsageBytes, long memoryLimitBytes, long pids) {
}
