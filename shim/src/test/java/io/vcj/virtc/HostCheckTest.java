package io.vcj.virtc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vcj.qemu.Accelerator;
import io.vcj.qemu.AcceleratorProbe;
import io.vcj.vc.hypervisor.HypervisorConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostCheckTest {

    private static final Function<HypervisorConfig, AcceleratorProbe.Choice> KVM_BOOTS =
            vm -> new AcceleratorProbe.Choice(Accelerator.KVM, "kvm probe: guest kernel booted");

    @TempDir
    Path dir;
    private Path qemu;
    private Path guest;

    @BeforeEach
    void fakeHost() throws IOException {
        qemu = Files.writeString(dir.resolve("qemu-system-x86_64"), "#!/bin/sh\necho 'QEMU emulator version 7.2.0'\n");
        Files.setPosixFilePermissions(qemu, PosixFilePermissions.fromString("rwxr-xr-x"));
        guest = Files.createDirectories(dir.resolve("cache/guest"));
    }

    @Test
    void aCompleteHostCanRunSandboxes() throws IOException {
        Files.createFile(guest.resolve("vmlinux"));
        Files.createFile(guest.resolve("initrd.img"));
        Files.writeString(guest.resolve("manifest"), "kernel 6.1.0\nagent-jar kata-agent.jar 0123\n");
        var text = new ByteArrayOutputStream();

        List<Finding> findings = check(true, KVM_BOOTS).findings();
        int status = HostCheck.report(findings, new Output(new PrintStream(text, true, StandardCharsets.UTF_8), false));

        assertEquals(Finding.ok("qemu", qemu + ": QEMU emulator version 7.2.0"), find(findings, "qemu"));
        assertEquals(Finding.ok("guest agent", "in " + guest.resolve("initrd.img") + ", per its manifest"),
                find(findings, "guest agent"));
        assertEquals(Finding.ok("accelerator", "kvm (kvm probe: guest kernel booted)"), find(findings, "accelerator"));
        assertEquals(Finding.ok("state root", dir.resolve("state") + " can be created"), find(findings, "state root"));
        assertEquals(0, status);
        assertTrue(text.toString(StandardCharsets.UTF_8).endsWith("\nthis host can run sandboxes\n"), text.toString());
    }

    @Test
    void aMissingGuestIsEssentialAndNamesTheScriptThatBuildsIt() {
        List<Finding> findings = check(true, vm -> {
            throw new AssertionError("no probe without a kernel to boot");
        }).findings();

        Finding kernel = find(findings, "kernel");
        assertEquals(Finding.Verdict.MISSING, kernel.verdict());
        assertTrue(kernel.detail().startsWith(guest.resolve("vmlinux") + " not found: build it with scripts/build-guest"),
                kernel.detail());
        assertEquals(Finding.Verdict.MISSING, find(findings, "initrd").verdict());
        assertEquals(1, HostCheck.report(findings, new Output(new PrintStream(OutputStream.nullOutputStream()), true)));
    }

    @Test
    void aGuestWithoutTheAgentIsEssential() throws IOException {
        Files.createFile(guest.resolve("vmlinux"));
        Files.createFile(guest.resolve("initrd.img"));
        Files.writeString(guest.resolve("manifest"), "kernel 6.1.0\nagent-jar none\n");

        Finding agent = find(check(true, KVM_BOOTS).findings(), "guest agent");

        assertEquals(Finding.Verdict.MISSING, agent.verdict());
        assertTrue(agent.detail().contains("was built without it"), agent.detail());
    }

    @Test
    void tcgOnlyWarnsAndNoRootIsEssential() throws IOException {
        Files.createFile(guest.resolve("vmlinux"));
        Files.createFile(guest.resolve("initrd.img"));
        List<Finding> findings = check(false,
                vm -> new AcceleratorProbe.Choice(Accelerator.TCG, "kvm probe: guest did not boot within 5s")).findings();

        assertEquals(Finding.Verdict.WARN, find(findings, "accelerator").verdict());
        assertEquals(Finding.Verdict.WARN, find(findings, "guest agent").verdict(), "no manifest to tell");
        assertEquals(Finding.missing("privileges", "not root: mounting container root filesystems needs uid 0"),
                find(findings, "privileges"));
    }

    @Test
    void aMissingQemuIsEssential() {
        Finding finding = find(check(true, KVM_BOOTS, "--hypervisor-path", "/nonexistent/qemu").findings(), "qemu");

        assertEquals(Finding.missing("qemu",
                "/nonexistent/qemu not found: install qemu-system-x86 or pass --hypervisor-path"), finding);
    }

    private HostCheck check(boolean root, Function<HypervisorConfig, AcceleratorProbe.Choice> probe, String... more) {
        var args = new ArrayList<>(List.of("check", "--root", dir.resolve("state").toString(),
                "--hypervisor-path", qemu.toString()));
        args.addAll(List.of(more));
        Settings settings = Settings.of(CommandLine.parse(args.toArray(String[]::new)),
                Map.of("VCJ_CACHE", dir.resolve("cache").toString()));
        return new HostCheck(settings, probe, root);
    }

    private static Finding find(List<Finding> findings, String check) {
        return findings.stream().filter(f -> f.check().equals(check)).findFirst()
                .orElseThrow(() -> new AssertionError("no finding for " + check + " in " + findings));
    }
}
