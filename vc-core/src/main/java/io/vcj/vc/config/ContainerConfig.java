package io.vcj.vc.config;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vcj.vc.VcException;

import java.util.List;
import java.util.Map;

/**
 * A container to create in a sandbox.
 *
 * @param ociSpec the OCI runtime spec (config.json) as containerd hands it; null to have one built
 *                from {@code cmd}, {@code mounts} and {@code readonlyRootfs}. When given, it wins: use
 *                {@link OciSpecs#containerConfig} to derive the other fields from it.
 */
public record ContainerConfig(String id, Rootfs rootfs, boolean readonlyRootfs, Cmd cmd, List<Mount> mounts,
                              List<DeviceInfo> devices, Map<String, String> annotations, ObjectNode ociSpec) {

    public ContainerConfig {
        Ids.require("container id", id);
        if (rootfs == null) {
            throw new VcException.InvalidArgument("container '" + id + "' has no rootfs");
        }
        if (cmd == null) {
            throw new VcException.InvalidArgument("container '" + id + "' has no command");
        }
        mounts = List.copyOf(mounts == null ? List.of() : mounts);
        devices = List.copyOf(devices == null ? List.of() : devices);
        annotations = Map.copyOf(annotations == null ? Map.of() : annotations);
        ociSpec = ociSpec == null ? null : ociSpec.deepCopy();
    }

    /** A container running {@code cmd} on {@code rootfs}, nothing else. */
    public static ContainerConfig of(String id, Rootfs rootfs, Cmd cmd) {
        return new ContainerConfig(id, rootfs, false, cmd, List.of(), List.of(), Map.of(), null);
    }

    @Override
    public ObjectNode ociSpec() {
        return ociSpec == null ? null : ociSpec.deepCopy();
    }
}
