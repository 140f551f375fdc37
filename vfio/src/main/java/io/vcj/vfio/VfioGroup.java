package io.vcj.vfio;

import io.vcj.vc.hypervisor.Device;

import java.util.List;

/** An IOMMU group ready for passthrough: every function in it, bridges left out, is bound to vfio-pci. */
public record VfioGroup(int number, List<PciFunction> functions) {

    public VfioGroup {
        functions = List.copyOf(functions);
    }

    /**
     * The functions as hypervisor devices. A BDF is unique on the host, so it makes a stable id;
     * its colons become underscores because QEMU ids may not contain them.
     */
    public List<Device.Vfio> devices() {
        return functions.stream()
                .map(function -> new Device.Vfio("vfio-" + function.bdf().replace(':', '_'), function.bdf()))
                .toList();
    }
}
