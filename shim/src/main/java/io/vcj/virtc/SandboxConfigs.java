package io.vcj.virtc;

import io.vcj.kata.client.KataAgentFactory;
import io.vcj.vc.config.SandboxConfig;
import io.vcj.vc.hypervisor.HypervisorConfig;

/** The sandbox that {@code sandbox create} and {@code sandbox run} describe: a VM and at most one container. */
final class SandboxConfigs {

    static final String HYPERVISOR_TYPE = "qemu";

    private SandboxConfigs() {
    }

    static SandboxConfig sandbox(CommandLine line, Settings settings) {
        String id = line.required(Option.ID);
        HypervisorConfig vm = settings.hypervisor();
        SandboxConfig.Builder sandbox = SandboxConfig.builder(id)
                .vm(vm.vcpus(), vm.memoryMiB())
                .hypervisor(HYPERVISOR_TYPE, vm)
                .agent(KataAgentFactory.TYPE, settings.agent());
        if (hasContainer(line)) {
            sandbox.container(ContainerConfigs.container(containerId(line), line));
        }
        return sandbox.build();
    }

    /** A container comes with the sandbox when the command line names a rootfs or a command. */
    static boolean hasContainer(CommandLine line) {
        return line.has(Option.ROOTFS) || line.commandToRun().isPresent();
    }

    static String containerId(CommandLine line) {
        return line.value(Option.CONTAINER_ID).orElseGet(() -> line.required(Option.ID));
    }
}
