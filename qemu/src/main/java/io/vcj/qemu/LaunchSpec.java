package io.vcj.qemu;

import io.vcj.vc.hypervisor.Device;
import io.vcj.vc.hypervisor.HypervisorConfig;
import io.vcj.vc.hypervisor.VmTemplate;

import java.util.List;

/**
 * Everything the QEMU command line depends on, already decided: the accelerator is resolved,
 * the vsock context id chosen, the devices to cold-plug listed.
 *
 * @param vsockCid     guest context id when the agent is reached over vsock, else 0
 * @param hotplugPorts empty PCIe root ports to create on q35 for later hotplug
 * @param template     the template this VM is made to be or resumes, null for a plain boot
 */
public record LaunchSpec(
        String sandboxId,
        HypervisorConfig config,
        Accelerator accelerator,
        RunDir runDir,
        List<Device> devices,
        long vsockCid,
        int hotplugPorts,
        TemplateRole templateRole,
        VmTemplate template) {

    /** How a VM relates to a {@link VmTemplate}. */
    public enum TemplateRole {
        NONE, TO_BE_TEMPLATE, FROM_TEMPLATE
    }

    public LaunchSpec {
        devices = List.copyOf(devices);
        if ((templateRole == TemplateRole.NONE) != (template == null)) {
            throw new IllegalArgumentException("template role " + templateRole + " with template " + template);
        }
    }

    /** A VM that boots, with no template involved. */
    public LaunchSpec(String sandboxId, HypervisorConfig config, Accelerator accelerator, RunDir runDir,
                      List<Device> devices, long vsockCid, int hotplugPorts) {
        this(sandboxId, config, accelerator, runDir, devices, vsockCid, hotplugPorts, TemplateRole.NONE, null);
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
