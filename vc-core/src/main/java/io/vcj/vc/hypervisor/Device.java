package io.vcj.vc.hypervisor;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

import java.nio.file.Path;

/** Devices a sandbox hands to its VM. Typed in JSON: a container's record keeps those hot-plugged for it. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({
        @JsonSubTypes.Type(value = Device.SharedDirectory.class, name = "sharedDirectory"),
        @JsonSubTypes.Type(value = Device.Block.class, name = "block"),
        @JsonSubTypes.Type(value = Device.Network.class, name = "network"),
        @JsonSubTypes.Type(value = Device.Vfio.class, name = "vfio")})
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
