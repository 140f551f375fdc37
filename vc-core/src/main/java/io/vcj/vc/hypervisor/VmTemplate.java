package io.vcj.vc.hypervisor;

import java.nio.file.Path;

/**
 * A VM saved once its agent was ready, that new VMs start from instead of booting (Kata's VM
 * templating): the guest's RAM in {@link #memoryFile()}, which every clone maps copy-on-write, and
 * the state of its devices in {@link #stateFile()}.
 */
public record VmTemplate(Path dir) {

    public Path memoryFile() {
        return dir.resolve("memory");
    }

    public Path stateFile() {
        return dir.resolve("state");
    }
}
