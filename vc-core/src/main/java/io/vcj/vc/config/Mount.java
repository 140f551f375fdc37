package io.vcj.vc.config;

import io.vcj.vc.VcException;

import java.util.List;

/** A mount, as in an OCI spec or a containerd rootfs mount list. */
public record Mount(String source, String destination, String type, List<String> options) {

    public Mount {
        options = List.copyOf(options == null ? List.of() : options);
        if (type == null || type.isEmpty()) {
            throw new VcException.InvalidArgument("mount of '" + source + "' on '" + destination + "' has no type");
        }
    }

    public boolean readOnly() {
        return options.contains("ro");
    }
}
