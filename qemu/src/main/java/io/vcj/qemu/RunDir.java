package io.vcj.qemu;

import java.nio.file.Path;

/**
 * Where one VM keeps its sockets, logs and pid file. Another process given the same directory
 * finds the VM again from it (see {@link QemuHypervisor#attach}).
 */
public record RunDir(Path path) {

    public Path qmpSocket() {
        return path.resolve("qmp.sock");
    }

    /** A second monitor, so another process can control the VM while the owner keeps its session. */
    public Path attachQmpSocket() {
        return path.resolve("qmp-attach.sock");
    }

    public Path agentSocket() {
        return path.resolve("agent.sock");
    }

    public Path consoleLog() {
        return path.resolve("console.log");
    }

    /** QEMU's own stdout and stderr. */
    public Path qemuLog() {
        return path.resolve("qemu.log");
    }

    public Path pidFile() {
        return path.resolve("qemu.pid");
    }

    public Path virtiofsSocket(String qemuId) {
        return path.resolve(qemuId + ".vfs.sock");
    }

    public Path virtiofsPidFile(String qemuId) {
        return path.resolve(qemuId + ".vfs.pid");
    }

    public Path virtiofsLog(String qemuId) {
        return path.resolve(qemuId + ".vfs.log");
    }
}
