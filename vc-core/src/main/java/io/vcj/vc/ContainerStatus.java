package io.vcj.vc;

import java.time.Instant;
import java.util.Map;

/**
 * A container as last recorded.
 *
 * @param rootfs     where its root filesystem comes from on the host
 * @param exitStatus its init process's exit, null while it has not exited
 */
public record ContainerStatus(String id, State state, long pid, Instant startTime, String rootfs,
                              Map<String, String> annotations, ExitStatus exitStatus) {
    public ContainerStatus {
        annotations = Map.copyOf(annotations);
    }
}
