package io.vcj.vc.config;

import io.vcj.vc.VcException;

/** The VM's size; overrides the vcpus and memory of the sandbox's HypervisorConfig. */
public record VmResources(int vcpus, int memoryMiB) {

    public VmResources {
        if (vcpus < 1) {
            throw new VcException.InvalidArgument("VM vcpus must be at least 1, got " + vcpus);
        }
        if (memoryMiB < 64) {
            throw new VcException.InvalidArgument("VM memory must be at least 64 MiB, got " + memoryMiB);
        }
    }
}
