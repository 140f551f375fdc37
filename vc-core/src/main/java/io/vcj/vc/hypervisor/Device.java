package io.vcj.vc.hypervisor;

import java.nio.file.Path;

/** Devices a sandbox hands to its VM; a container's record keeps those hot-plugged for it. */
public sealed interface Device {

    String id();

    /** A host directory shared into the guest; the guest mounts it by {@code tag}. */
    record SharedDirectory(String id, String tag, Path hostPath, SharedFs fs, boolean readOnly) implements Device {
    }

    /** A host file or block device given to the guest as a virtio-blk disk. */
    record Block(String id, Path hostPath, boolean readOnly) implements Device {
    }

    /** A tap device on the host connected to a virtio-net NIC in the guest. */
    record Network(String id, String tapName, String macAddress, int mtu) implements Device {
    }

    /** A host PCI device (bus:device.function) passed through with vfio-pci. */
    record Vfio(String id, String hostBdf) implements Device {
    }

    enum SharedFs { VIRTIO_9P, VIRTIO_FS }
}
