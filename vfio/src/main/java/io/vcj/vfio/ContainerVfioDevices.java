package io.vcj.vfio;

import io.vcj.vc.config.DeviceInfo;
import io.vcj.vc.device.VfioDevices;
import io.vcj.vc.hypervisor.Device;

import java.util.List;

/** The PCI functions a container's OCI devices ask for: the whole IOMMU group of each VFIO node. */
public final class ContainerVfioDevices implements VfioDevices {

    private final VfioPassthrough passthrough;

    public ContainerVfioDevices(HostFs host) {
        this.passthrough = new VfioPassthrough(host);
    }

    /** Each function once, though a group may be named twice (its group node and a device cdev). */
    @Override
    public List<Device.Vfio> of(List<DeviceInfo> devices) {
        return devices.stream()
                .map(DeviceInfo::hostPath)
                .filter(passthrough::isVfioDevice)
                .flatMap(node -> passthrough.resolve(node).devices().stream())
                .distinct()
                .toList();
    }
}
