package io.vcj.virtc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vcj.shim.config.ConfigException;
import io.vcj.vc.hypervisor.Device;
import io.vcj.vc.hypervisor.HypervisorConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsTest {

    @TempDir
    Path dir;

    @Test
    void withoutOptionsTheGuestComesFromTheCacheAndQemuFromPath() throws IOException {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path qemu = Files.createFile(bin.resolve("qemu-system-x86_64"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));

        Settings settings = Settings.of(CommandLine.parse("sandbox", "list"),
                Map.of("VCJ_CACHE", "/cache", "PATH", "/nonexistent:" + bin));

        assertEquals(Path.of("/run/vcj"), settings.root());
        HypervisorConfig vm = settings.hypervisor();
        assertEquals(Path.of("/cache/guest/vmlinux"), vm.kernelPath());
        assertEquals(Path.of("/cache/guest/initrd.img"), vm.initrdPath());
        assertEquals(qemu, vm.hypervisorPath());
        assertEquals("q35", vm.machineType());
        assertEquals("auto", vm.accelerator());
        assertEquals(1, vm.vcpus());
        assertEquals(512, vm.memoryMiB());
        assertEquals(Device.SharedFs.VIRTIO_9P, vm.sharedFs());
        assertEquals(Duration.ofSeconds(120), settings.agent().dialTimeout());
    }

    @Test
    void commandLineOptionsOverrideTheDefaults() {
        Settings settings = Settings.of(CommandLine.parse("sandbox", "create", "--root", "/tmp/r", "--vcpus", "2",
                "--memory", "1024", "--kernel", "k", "--initrd", "/boot/i", "--hypervisor-path", "/opt/qemu",
                "--machine-type", "microvm", "--accelerator", "tcg", "--agent-timeout", "300"), Map.of());

        HypervisorConfig vm = settings.hypervisor();
        assertEquals(Path.of("/tmp/r"), settings.root());
        assertEquals(Path.of("k").toAbsolutePath(), vm.kernelPath());
        assertEquals(Path.of("/boot/i"), vm.initrdPath());
        assertEquals(Path.of("/opt/qemu"), vm.hypervisorPath());
        assertEquals("microvm", vm.machineType());
        assertEquals("tcg", vm.accelerator());
        assertEquals(2, vm.vcpus());
        assertEquals(1024, vm.memoryMiB());
        assertEquals(Duration.ofSeconds(300), settings.agent().dialTimeout());
    }

    @Test
    void aConfigFileGivesDefaultsThatTheCommandLineOverrides() throws IOException {
        Path kernel = Files.createFile(dir.resolve("vmlinux"));
        Path image = Files.createFile(dir.resolve("rootfs.img"));
        Path config = Files.writeString(dir.resolve("configuration.toml"), """
                [hypervisor.qemu]
                path = "/bin/true"
                kernel = "%s"
                image = "%s"
                default_memory = 256
                [agent.kata]
                dial_timeout = 45
                [runtime]
                state_root = "/var/lib/vcj"
                """.formatted(kernel, image));

        Settings fromFile = Settings.of(CommandLine.parse("sandbox", "list", "--config", config.toString()), Map.of());
        Settings overridden = Settings.of(CommandLine.parse("sandbox", "create", "--config", config.toString(),
                "--root", "/tmp/r", "--memory", "1024", "--initrd", "/boot/i"), Map.of());

        assertEquals(Path.of("/var/lib/vcj"), fromFile.root());
        assertEquals(kernel, fromFile.hypervisor().kernelPath());
        assertEquals(image, fromFile.hypervisor().imagePath());
        assertEquals(256, fromFile.hypervisor().memoryMiB());
        assertEquals(Duration.ofSeconds(45), fromFile.agent().dialTimeout());
        assertEquals(Path.of("/tmp/r"), overridden.root());
        assertEquals(1024, overridden.hypervisor().memoryMiB());
        assertEquals(Path.of("/boot/i"), overridden.hypervisor().initrdPath());
        assertNull(overridden.hypervisor().imagePath(), "an initrd on the command line replaces the configured image");
    }

    @Test
    void aBrokenConfigFileIsReportedWithItsName() throws IOException {
        Path config = Files.writeString(dir.resolve("configuration.toml"), "[hypervisor.qemu]\ndefault_vcpus = \"x\"\n");

        String message = assertThrows(ConfigException.class,
                () -> Settings.of(CommandLine.parse("sandbox", "list", "--config", config.toString()), Map.of()))
                .getMessage();

        assertEquals(config + ":2: [hypervisor.qemu] default_vcpus: must be an integer, got a string \"x\"", message);
    }

    @Test
    void choicesAreCheckedAgainstWhatQemuSandboxesSupport() {
        String message = assertThrows(UsageException.class, () -> Settings.of(
                CommandLine.parse("check", "--accelerator", "hvf"), Map.of())).getMessage();

        assertEquals("--accelerator must be one of auto, kvm, tcg, got 'hvf'", message);
    }
}
