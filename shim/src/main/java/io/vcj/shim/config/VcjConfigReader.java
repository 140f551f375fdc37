package io.vcj.shim.config;

import io.vcj.vc.config.AgentConfig;
import io.vcj.vc.config.NetInterworkingModel;
import io.vcj.vc.hypervisor.Device;
import io.vcj.vc.hypervisor.HypervisorConfig;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Turns a parsed configuration.toml into a {@link VcjConfig}, key by key, with defaults. */
final class VcjConfigReader {

    private static final String QEMU = "hypervisor.qemu";
    private static final String AGENT = "agent.kata";
    private static final String RUNTIME = "runtime";
    private static final String FACTORY = "factory";
    /** Tables that may appear only as parents of the ones above, e.g. a bare {@code [hypervisor]}. */
    private static final List<String> PARENTS = List.of("", "hypervisor", "agent");

    private static final Map<String, Device.SharedFs> SHARED_FS = Map.of(
            "virtio-9p", Device.SharedFs.VIRTIO_9P, "virtio-fs", Device.SharedFs.VIRTIO_FS);

    /** Kata's key and value for tc mirroring, and vcj's for a bridge. */
    private static final Map<String, NetInterworkingModel> INTERWORKING = Map.of(
            "tcfilter", NetInterworkingModel.TC_FILTER, "bridged", NetInterworkingModel.BRIDGED);

    private final TomlDocument document;

    VcjConfigReader(TomlDocument document) {
        this.document = document;
    }

    VcjConfig read() {
        rejectUnknownTables();
        HypervisorConfig hypervisor = hypervisor(new TableReader(document, QEMU));
        AgentConfig agent = agent(new TableReader(document, AGENT));
        TableReader runtime = new TableReader(document, RUNTIME);
        Path stateRoot = runtime.absolutePath("state_root", "/run/vcj");
        boolean debug = runtime.bool("enable_debug", false);
        NetInterworkingModel interworking = INTERWORKING.get(
                runtime.choice("internetworking_model", "tcfilter", List.of("tcfilter", "bridged")));
        runtime.rejectUnknownKeys();
        TableReader factory = new TableReader(document, FACTORY);
        boolean templates = factory.bool("enable_template", false);
        Path templatePath = factory.absolutePath("template_path", "/run/vcj-template");
        factory.rejectUnknownKeys();
        return new VcjConfig(document.file(), hypervisor, agent, stateRoot, debug, interworking,
                templates ? templatePath : null);
    }

    private static HypervisorConfig hypervisor(TableReader qemu) {
        String guest = System.getenv().getOrDefault("VCJ_CACHE", "/var/cache/vcj") + "/guest";
        Path qemuPath = qemu.existingPath("path", "/usr/bin/qemu-system-x86_64");
        Path kernel = qemu.existingPath("kernel", guest + "/vmlinux");
        Optional<Path> image = qemu.existingPath("image");
        // The default initrd only applies when no root disk image is configured.
        Path initrd = image.isPresent() ? qemu.existingPath("initrd").orElse(null)
                : qemu.existingPath("initrd", guest + "/initrd.img");
        if (image.isPresent() && initrd != null) {
            throw qemu.error("initrd", "and image are both set; boot from one of them");
        }
        Path firmware = qemu.existingPath("firmware").orElse(null);
        String machineType = qemu.choice("machine_type", "q35", List.of("q35", "microvm"));
        String machineAccelerators = qemu.string("machine_accelerators", "");
        String accelerator = qemu.choice("accelerator", "auto", List.of("auto", "kvm", "tcg"));
        List<String> kernelParams = qemu.words("kernel_params");
        List<String> hypervisorParams = qemu.words("hypervisor_params");
        int vcpus = qemu.integer("default_vcpus", 1, 1, 255);
        int memory = qemu.integer("default_memory", 512, 64, 1 << 20);
        Device.SharedFs sharedFs = SHARED_FS.get(qemu.choice("shared_fs", "virtio-9p", List.of("virtio-9p", "virtio-fs")));
        Path virtiofsd = sharedFs == Device.SharedFs.VIRTIO_FS
                ? qemu.existingPath("virtio_fs_daemon", "/usr/lib/qemu/virtiofsd")
                : qemu.absolutePath("virtio_fs_daemon", "/usr/lib/qemu/virtiofsd");
        boolean debug = qemu.bool("enable_debug", false);
        qemu.rejectUnknownKeys();
        return new HypervisorConfig(kernel, initrd, image.orElse(null), firmware, qemuPath, machineType,
                machineAccelerators.isEmpty() ? null : machineAccelerators, accelerator, kernelParams,
                hypervisorParams, vcpus, memory, sharedFs, virtiofsd, "virtio-serial", debug, Map.of());
    }

    private static AgentConfig agent(TableReader kata) {
        int dialTimeout = kata.integer("dial_timeout", 60, 1, 3600);
        boolean debug = kata.bool("enable_debug", false);
        kata.rejectUnknownKeys();
        return new AgentConfig(Duration.ofSeconds(dialTimeout), debug);
    }

    private void rejectUnknownTables() {
        for (String table : document.tableNames()) {
            boolean known = List.of(QEMU, AGENT, RUNTIME, FACTORY).contains(table);
            if (!known && !(PARENTS.contains(table) && document.table(table).isEmpty())) {
                if (table.isEmpty()) {
                    var first = document.table("").entrySet().iterator().next();
                    throw ConfigException.at(document.file(), first.getValue().line(),
                            "key " + first.getKey() + " must be inside a table ([" + QEMU + "], [" + AGENT
                                    + "], [" + RUNTIME + "] or [" + FACTORY + "])");
                }
                throw ConfigException.at(document.file(), document.headerLine(table), "unknown table [" + table
                        + "] (vcj reads [" + QEMU + "], [" + AGENT + "], [" + RUNTIME + "] and [" + FACTORY + "])");
            }
        }
    }
}
