package io.vcj.qemu;

import io.vcj.vc.hypervisor.Device;
import io.vcj.vc.hypervisor.HypervisorConfig;

import java.util.ArrayList;
import java.util.List;

import static io.vcj.qemu.QemuOpts.escape;

/** The QEMU argv for a {@link LaunchSpec}: a pure function, so every flag is unit-testable. */
public final class QemuCommandLine {

    public static final String AGENT_PORT_NAME = "agent.channel.0";

    private QemuCommandLine() {
    }

    public static List<String> build(LaunchSpec spec) {
        HypervisorConfig config = spec.config();
        MachineType machine = spec.machine();
        RunDir runDir = spec.runDir();
        List<String> argv = new ArrayList<>();
        argv.add(config.hypervisorPath().toString());
        // Named threads ("CPU 0/TCG", "worker") let top -H and the benchmarks tell a saturated vCPU
        // from a busy main loop.
        argv.addAll(List.of("-name", "guest=" + escape(spec.sandboxId()) + ",debug-threads=on"));
        argv.addAll(List.of("-machine", machineOption(config, machine)));
        argv.addAll(List.of("-accel", accelOption(spec.accelerator())));
        argv.addAll(List.of("-cpu", spec.accelerator().cpuModel()));
        argv.addAll(List.of("-smp", Integer.toString(config.vcpus())));
        argv.addAll(List.of("-m", config.memoryMiB() + "M"));
        argv.addAll(guestMemory(spec));
        if (config.firmwarePath() != null) {
            argv.addAll(List.of("-bios", config.firmwarePath().toString()));
        }
        argv.addAll(bootArgs(config, machine, spec.accelerator()));
        argv.addAll(List.of("-nodefaults", "-no-user-config", "-nographic", "-no-reboot"));
        argv.addAll(List.of(
                "-chardev", "file,id=console,path=" + escape(runDir.consoleLog()),
                "-serial", "chardev:console"));
        argv.addAll(monitor("qmp", runDir.qmpSocket().toString()));
        argv.addAll(monitor("qmp-attach", runDir.attachQmpSocket().toString()));
        argv.addAll(List.of("-pidfile", runDir.pidFile().toString()));
        argv.addAll(agentArgs(spec, machine));
        if (machine.hasPci()) {
            for (int port = 0; port < spec.hotplugPorts(); port++) {
                argv.addAll(List.of("-device", "pcie-root-port,id=" + rootPortId(port)
                        + ",bus=pcie.0,chassis=" + (port + 1) + ",slot=" + (port + 1)));
            }
        }
        for (Device device : spec.devices()) {
            argv.addAll(ColdPlugArgs.of(device, spec));
        }
        // The guest hands back the pages it frees (above all the initramfs buffer once it is
        // unpacked, ~2x the image's size counting QEMU's copy), and QEMU drops them from its RSS.
        // After the cold-plugged devices, so it takes no PCI slot one of them asks for.
        argv.addAll(List.of("-device", machine.virtio("virtio-balloon") + ",id=balloon,free-page-reporting=on"));
        argv.addAll(config.hypervisorParams());
        if (spec.templateRole() == LaunchSpec.TemplateRole.FROM_TEMPLATE) {
            // The template's device state is loaded over QMP, after the migration capabilities are set.
            argv.addAll(List.of("-incoming", "defer"));
        }
        return List.copyOf(argv);
    }

    /**
     * Guest RAM in a memfd, shared with the host only when a vhost-user daemon must see it. Never
     * anonymous memory: QEMU asks for transparent huge pages there, and where the host grants them
     * every page the guest touches costs 2 MiB of RSS (a pod's QEMU measured 700 MiB instead of
     * 520 MiB); memfd pages stay 4 KiB, and the balloon's free-page reporting still returns them.
     * A template keeps its RAM in its memory file; a clone maps that file privately, so it reads the
     * template's pages and copies only those it writes.
     */
    private static List<String> guestMemory(LaunchSpec spec) {
        String size = "size=" + spec.config().memoryMiB() + "M";
        String backend = switch (spec.templateRole()) {
            case NONE -> "memory-backend-memfd,id=mem," + size + ",share=" + (spec.needsSharedMemory() ? "on" : "off");
            case TO_BE_TEMPLATE -> "memory-backend-file,id=mem," + size + ",mem-path="
                    + escape(spec.template().memoryFile()) + ",share=on";
            case FROM_TEMPLATE -> "memory-backend-file,id=mem," + size + ",mem-path="
                    + escape(spec.template().memoryFile()) + ",share=off";
        };
        return List.of("-object", backend, "-numa", "node,memdev=mem");
    }

    /** The id of the {@code port}-th empty PCIe root port, where hot-plugged devices go. */
    public static String rootPortId(int port) {
        return "hotplug-rp" + port;
    }

    private static String machineOption(HypervisorConfig config, MachineType machine) {
        String extra = config.machineAccelerators();
        return machine.qemuName() + (extra == null || extra.isBlank() ? "" : "," + extra);
    }

    /**
     * TCG's translation buffer defaults to 1 GiB in QEMU 7.2, and a guest JVM fills a large part of
     * it: QEMU's RSS then exceeds the guest's memory. 64 MiB holds a pod's hot code without
     * repeated flushes.
     */
    static final int TCG_TB_SIZE_MIB = 64;

    private static String accelOption(Accelerator accelerator) {
        return accelerator == Accelerator.TCG
                ? accelerator.qemuName() + ",tb-size=" + TCG_TB_SIZE_MIB
                : accelerator.qemuName();
    }

    private static List<String> bootArgs(HypervisorConfig config, MachineType machine, Accelerator accelerator) {
        List<String> args = new ArrayList<>(List.of("-kernel", config.kernelPath().toString()));
        if (config.initrdPath() != null) {
            args.addAll(List.of("-initrd", config.initrdPath().toString()));
        } else if (config.imagePath() != null) {
            args.addAll(List.of(
                    "-drive", "file=" + escape(config.imagePath()) + ",if=none,id=rootfs,format=raw,readonly=on",
                    "-device", machine.virtio("virtio-blk") + ",id=rootfs-disk,drive=rootfs"));
        }
        args.addAll(List.of("-append", KernelParams.of(config, machine, accelerator)));
        return args;
    }

    private static List<String> monitor(String id, String socket) {
        return List.of(
                "-chardev", "socket,id=" + id + ",path=" + escape(socket) + ",server=on,wait=off",
                "-mon", "chardev=" + id + ",mode=control");
    }

    private static List<String> agentArgs(LaunchSpec spec, MachineType machine) {
        if (spec.agentOverVsock()) {
            return List.of("-device", machine.virtio("vhost-vsock") + ",id=vsock0,guest-cid=" + spec.vsockCid());
        }
        return List.of(
                "-device", machine.virtio("virtio-serial") + ",id=serial0",
                "-chardev", "socket,id=agent,path=" + escape(spec.runDir().agentSocket()) + ",server=on,wait=off",
                "-device", "virtserialport,chardev=agent,id=channel0,name=" + AGENT_PORT_NAME);
    }
}
