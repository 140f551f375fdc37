package io.vcj.vc.config;

import io.vcj.vc.VcException;

import java.nio.file.Path;

/**
 * A host directory shared with the VM, mounted in the guest at {@code /run/vcj/volumes/<mountTag>}.
 */
public record Volume(String mountTag, Path hostPath) {

    public Volume {
        Ids.require("volume mount tag", mountTag);
        if (hostPath == null) {
            throw new VcException.InvalidArgument("volume '" + mountTag + "' needs a host path");
        }
    }
}
