package io.vcj.virtc;

import java.util.Arrays;
import java.util.Optional;

/**
 * Every option virtc knows. An option means the same thing, and takes a value or not, in every
 * command that accepts it, so a command line can be split into options and arguments before the
 * command is known.
 */
enum Option {
    ROOT("root", "DIR", "state root (default /run/vcj, or the config file's state_root)"),
    CONFIG("config", "FILE", "vcj configuration.toml to take VM defaults from"),
    JSON("json", null, "print machine-readable JSON"),
    DEBUG("debug", null, "log what virtcontainers does to stderr"),
    HELP("help", null, "print usage"),

    ID("id", "ID", "sandbox id (sandbox commands) or container id (container commands)"),
    SANDBOX_ID("sandbox-id", "ID", "the container's sandbox"),
    CONTAINER_ID("container-id", "ID", "id of the container created with the sandbox (default: the sandbox id)"),

    VCPUS("vcpus", "N", "virtual CPUs (default 1)"),
    MEMORY("memory", "MIB", "guest memory in MiB (default 512)"),
    KERNEL("kernel", "FILE", "guest kernel (default $VCJ_CACHE/guest/vmlinux)"),
    INITRD("initrd", "FILE", "guest initramfs (default $VCJ_CACHE/guest/initrd.img)"),
    HYPERVISOR_PATH("hypervisor-path", "FILE", "QEMU binary (default qemu-system-x86_64 on PATH)"),
    MACHINE_TYPE("machine-type", "TYPE", "q35 (default) or microvm"),
    ACCELERATOR("accelerator", "ACCEL", "auto (default: KVM if it boots, else TCG), kvm or tcg"),
    AGENT_TIMEOUT("agent-timeout", "SECONDS", "how long the guest may take to boot and answer (default 120)"),

    ROOTFS("rootfs", "DIR", "the container's root filesystem on the host"),
    CMD("cmd", "\"CMD ARGS\"", "command to run, split at spaces (or give it after --)"),
    ENV("env", "K=V", "environment variable for the command (repeatable)"),
    CWD("cwd", "DIR", "working directory in the container (default /)"),
    INTERACTIVE("interactive", null, "pass virtc's stdin to the process (a container: at create too)"),
    DETACH("detach", null, "do not wait for the process or show its output"),

    SIGNAL("signal", "SIG", "signal name or number (default TERM)"),
    ALL("all", null, "signal every process of the container");

    private final String name;
    private final String valueName;
    private final String help;

    Option(String name, String valueName, String help) {
        this.name = name;
        this.valueName = valueName;
        this.help = help;
    }

    String flag() {
        return "--" + name;
    }

    boolean takesValue() {
        return valueName != null;
    }

    /** {@code --id ID}, as usage shows it. */
    String synopsis() {
        return takesValue() ? flag() + " " + valueName : flag();
    }

    String help() {
        return help;
    }

    static Optional<Option> named(String name) {
        return Arrays.stream(values()).filter(option -> option.name.equals(name)).findFirst();
    }
}
