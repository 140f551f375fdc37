package io.vcj.virtc;

import io.vcj.qemu.AcceleratorProbe;
import io.vcj.qemu.QemuVersion;
import io.vcj.vc.hypervisor.HypervisorConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * {@code virtc check}: whether this host can run the sandboxes virtc would create with the same
 * options, and, for each thing it lacks, what to do about it.
 */
final class HostCheck {

    private static final Path KVM = Path.of("/dev/kvm");
    private static final String BUILD_GUEST = "build it with scripts/build-guest --agent-jars it/target/agent-jars"
            + " (which `mvn -pl it -am pre-integration-test -DskipTests` fills)";

    private final Settings settings;
    private final Function<HypervisorConfig, AcceleratorProbe.Choice> accelerator;
    private final boolean root;

    /**
     * @param accelerator picks KVM or TCG for a config, as QEMU sandboxes will
     * @param root        whether virtc runs as uid 0
     */
    HostCheck(Settings settings, Function<HypervisorConfig, AcceleratorProbe.Choice> accelerator, boolean root) {
        this.settings = settings;
        this.accelerator = accelerator;
        this.root = root;
    }

    List<Finding> findings() {
        HypervisorConfig vm = settings.hypervisor();
        var findings = new ArrayList<Finding>();
        findings.add(root ? Finding.ok("privileges", "root")
                : Finding.missing("privileges", "not root: mounting container root filesystems needs uid 0"));
        Finding qemu = qemu(vm.hypervisorPath());
        findings.add(qemu);
        findings.add(Files.isReadable(KVM) && Files.isWritable(KVM) ? Finding.ok("/dev/kvm", "present")
                : Finding.warn("/dev/kvm", "absent or not accessible: guests will run under TCG emulation, slowly"));
        Finding kernel = file("kernel", vm.kernelPath());
        findings.add(kernel);
        if (vm.imagePath() != null) {
            findings.add(file("image", vm.imagePath()));
        } else {
            Finding initrd = file("initrd", vm.initrdPath());
            findings.add(initrd);
            if (initrd.verdict() == Finding.Verdict.OK) {
                findings.add(agent(vm.initrdPath()));
            }
        }
        if (qemu.verdict() == Finding.Verdict.OK && kernel.verdict() == Finding.Verdict.OK) {
            findings.add(accelerator(vm));
        }
        findings.add(stateRoot(settings.root()));
        return findings;
    }

    /** One line per finding; the exit status is 1 when something essential is missing. */
    static int report(List<Finding> findings, Output output) {
        var table = new Table("RESULT", "CHECK", "DETAIL");
        findings.forEach(f -> table.row(f.verdict().name().toLowerCase(java.util.Locale.ROOT), f.check(), f.detail()));
        long missing = findings.stream().filter(f -> f.verdict() == Finding.Verdict.MISSING).count();
        output.show(findings, () -> table.render() + "\n" + (missing == 0 ? "this host can run sandboxes\n"
                : "this host cannot run sandboxes: " + missing + " essential thing(s) missing\n"));
        return missing == 0 ? 0 : 1;
    }

    private static Finding qemu(Path binary) {
        if (!Files.isExecutable(binary)) {
            return Finding.missing("qemu", binary + " not found: install qemu-system-x86 or pass --hypervisor-path");
        }
        return QemuVersion.of(binary)
                .map(version -> Finding.ok("qemu", binary + ": " + version))
                .orElseGet(() -> Finding.missing("qemu", binary + " --version failed: it cannot run"));
    }

    private static Finding file(String check, Path path) {
        if (path == null) {
            return Finding.missing(check, "none configured: " + BUILD_GUEST);
        }
        return Files.isReadable(path) ? Finding.ok(check, path.toString())
                : Finding.missing(check, path + " not found: " + BUILD_GUEST);
    }

    private static Finding agent(Path initrd) {
        return GuestCache.hasAgent(initrd)
                .map(has -> has ? Finding.ok("guest agent", "in " + initrd + ", per its manifest")
                        : Finding.missing("guest agent", initrd + " was built without it, so no container can run: "
                                + BUILD_GUEST))
                .orElseGet(() -> Finding.warn("guest agent", "cannot tell: no build-guest manifest next to " + initrd));
    }

    private Finding accelerator(HypervisorConfig vm) {
        AcceleratorProbe.Choice choice = accelerator.apply(vm);
        String detail = choice.accelerator().qemuName() + " (" + choice.reason() + ")";
        return switch (choice.accelerator()) {
            case KVM -> Finding.ok("accelerator", detail);
            case TCG -> Finding.warn("accelerator", detail + ": guests run emulated, boots take many seconds");
        };
    }

    private static Finding stateRoot(Path root) {
        Path existing = root;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing != null && Files.isDirectory(existing) && Files.isWritable(existing)) {
            return Finding.ok("state root", root + (existing.equals(root) ? " is writable" : " can be created"));
        }
        return Finding.missing("state root", root + " is not writable: pass --root DIR");
    }
}
