package io.vcj.vc.config;

/**
 * Limits to apply to a running container, the subset of OCI {@code linux.resources} vcj honours.
 * A null field leaves that limit unchanged.
 */
public record ContainerResources(Long cpuShares, Long cpuQuota, Long cpuPeriod, String cpusetCpus,
                                 String cpusetMems, Long memoryLimitBytes, Long memorySwapBytes, Long pidsLimit) {
}
