package io.vcj.shim.config;

import io.vcj.vc.config.AgentConfig;
import io.vcj.vc.config.NetInterworkingModel;
import io.vcj.vc.hypervisor.HypervisorConfig;

import java.nio.file.Path;

/**
 * The shim's configuration file, Kata's configuration.toml in spirit:
 *
 * <pre>
 * [hypervisor.qemu]
 * path = "/usr/bin/qemu-system-x86_64"
 * kernel = "/var/cache/vcj/guest/vmlinux"
 * initrd = "/var/cache/vcj/guest/initrd.img"   # or image = "..." (an ext4 root disk)
 * machine_type = "q35"                          # or "microvm"
 * accelerator = "auto"                          # "kvm", "tcg"
 * default_vcpus = 1
 * default_memory = 512                          # MiB
 * shared_fs = "virtio-9p"                       # or "virtio-fs" (with virtio_fs_daemon)
 * kernel_params = ""
 * enable_debug = false
 *
 * [agent.kata]
 * dial_timeout = 60                             # seconds for the guest to boot and answer
 *
 * [runtime]
 * state_root = "/run/vcj"
 * enable_debug = false                          # shim log level debug
 * internetworking_model = "tcfilter"            # or "bridged": how pod interfaces reach the VM
 *
 * [factory]
 * enable_template = false                       # start pods from a saved VM instead of booting
 * template_path = "/run/vcj-template"           # where templates live (guest RAM: best a tmpfs)
 * </pre>
 *
 * @param file       where it was read from
 * @param hypervisor the VM template (vcpus and memory are the default VM size)
 * @param stateRoot  vc-core's state root: one directory per sandbox
 * @param debug      log at debug level
 * @param interworking how the pod network namespace's interfaces are joined to the VM's NICs
 * @param templatePath where VM templates live, null when pods boot their VMs
 */
public record VcjConfig(Path file, HypervisorConfig hypervisor, AgentConfig agent, Path stateRoot, boolean debug,
                        NetInterworkingModel interworking, Path templatePath) {

    public static final Path DEFAULT_PATH = Path.of("/etc/vcj/configuration.toml");
    public static final String HYPERVISOR_TYPE = "qemu";
    public static final String AGENT_TYPE = "kata";

    /** Reads and checks {@code file}; a {@link ConfigException} names what is wrong and where. */
    public static VcjConfig load(Path file) {
        return new VcjConfigReader(TomlParser.parse(file)).read();
    }
}
