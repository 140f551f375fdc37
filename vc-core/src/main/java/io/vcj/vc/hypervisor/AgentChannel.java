package io.vcj.vc.hypervisor;

import java.nio.file.Path;

/** The host end of the channel to the guest agent. */
public sealed interface AgentChannel {

    /** A virtio-serial port whose host side is a Unix socket served by the VMM (QEMU chardev). */
    record SerialSocket(Path socket) implements AgentChannel {
    }

    /** A vsock port at the guest's context id. */
    record Vsock(long contextId, int port) implements AgentChannel {
    }
}
