package io.vcj.qemu;

import io.vcj.vc.hypervisor.Device;
import io.vcj.vc.hypervisor.HypervisorConfig;

import java.util.List;

/**
 * Everything the QEMU command line depends on, already decided: the accelerator is resolved,
 * the vsock context id chosen, the devices to cold-plug listed.
 *
 * @param vsockCid     guest context id when the agent is reached over vsock, else 0
 * @param hotplugPorts empty PCIe root ports to create on q35 for later hotplug
 */
public record LaunchSpec(
        String sandboxId,
        HypervisorConfig config,
        Accelerator accelerator,
        RunDir runDir,
        List<Device> devices,
        long vsockCid,
        int hotplugPorts) {

    public LaunchSpec {
        devices = List.copyOf(devices);
    }

    public MachineType machine() {
        return MachineType.parse(config.machineType());
    }

    /** The shared-fs flavour a directory uses: its own, else the config's default. */
    public Device.SharedFs fsOf(Device.SharedDirectory dir) {
        if (dir.fs() != null) {
            return dir.fs();
        }
        return config.sharedFs() == null ? Device.SharedFs.VIRTIO_9P : config.sharedFs();
    }

    /** vhost-user devices need guest RAM QEMU can share with the daemon. */
    public boolean needsSharedMemory() {
        return config.sharedFs() == Device.SharedFs.VIRTIO_FS
                || devices.stream().anyMatch(d -> d instanceof Device.SharedDirectory dir && fsOf(dir) == Device.SharedFs.VIRTIO_FS);
    }

    public boolean agentOverVsock() {
        return "vsock".equals(config.agentTransport());
    }
}
