package io.vcj.vc.hypervisor;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * How to build the VM: the virtcontainers 1.0 HypervisorConfig in Java form.
 *
 * @param kernelPath          guest kernel on the host
 * @param initrdPath          guest initramfs (null when {@code imagePath} is used)
 * @param imagePath           guest root disk image (null when {@code initrdPath} is used)
 * @param firmwarePath        BIOS/firmware, null for the VMM's default
 * @param hypervisorPath      the VMM binary
 * @param machineType         e.g. {@code q35} or {@code microvm}
 * @param machineAccelerators extra machine accelerator options
 * @param accelerator         {@code auto} (probe KVM, else TCG), {@code kvm} or {@code tcg}
 * @param kernelParams        extra guest kernel parameters, appended after the defaults
 * @param hypervisorParams    extra VMM arguments, appended verbatim
 * @param vcpus               number of virtual CPUs
 * @param memoryMiB           guest memory in MiB
 * @param sharedFs            how host directories reach the guest
 * @param virtioFsDaemon      virtiofsd binary, for {@link Device.SharedFs#VIRTIO_FS}
 * @param agentTransport      how the agent is reached: {@code virtio-serial} (default) or {@code vsock}
 * @param debug               verbose guest console and VMM logs
 * @param annotations         free-form extras an implementation may read
 */
public record HypervisorConfig(
        Path kernelPath,
        Path initrdPath,
        Path imagePath,
        Path firmwarePath,
        Path hypervisorPath,
        String machineType,
        String machineAccelerators,
        String accelerator,
        List<String> kernelParams,
        List<String> hypervisorParams,
        int vcpus,
        int memoryMiB,
        Device.SharedFs sharedFs,
        Path virtioFsDaemon,
        String agentTransport,
        boolean debug,
        Map<String, String> annotations) {

    public HypervisorConfig {
        kernelParams = List.copyOf(kernelParams == null ? List.of() : kernelParams);
        hypervisorParams = List.copyOf(hypervisorParams == null ? List.of() : hypervisorParams);
        annotations = Map.copyOf(annotations == null ? Map.of() : annotations);
    }
}
