package io.vcj.vc.device;

import io.vcj.vc.config.DeviceInfo;
import io.vcj.vc.hypervisor.Device;

import java.util.List;

/**
 * Turns a container's VFIO device nodes ({@code /dev/vfio/N}) into the host PCI functions to pass
 * to its VM (implemented outside vc-core, e.g. module {@code vfio}, which reads sysfs).
 */
@FunctionalInterface
public interface VfioDevices {

    /** For hosts that pass nothing through: VFIO device nodes are then ordinary devices. */
    VfioDevices NONE = devices -> List.of();

    /** The functions to pass for those of {@code devices} that are VFIO nodes; other devices are ignored. */
    List<Device.Vfio> of(List<DeviceInfo> devices);
}
