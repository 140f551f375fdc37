package io.vcj.qemu;

import io.vcj.vc.hypervisor.Device;
import io.vcj.vc.hypervisor.HypervisorConfig;
import io.vcj.vc.hypervisor.HypervisorException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** createVM and addDevice refuse what QEMU could not run, and say which path or value is wrong. */
class ConfigValidationTest {

    @TempDir
    Path temp;
    private Path kernel;
    private Path initrd;
    private Path runDir;
    private QemuHypervisor vm;

    @BeforeEach
    void files() throws Exception {
        kernel = Files.writeString(temp.resolve("vmlinuz"), "kernel");
        initrd = Files.writeString(temp.resolve("initrd.img"), "initrd");
        runDir = temp.resolve("run");
        vm = new QemuHypervisor(new AcceleratorProbe(temp.resolve("cache"), Duration.ofSeconds(1)));
    }

    private HypervisorConfig config(Path kernel, Path initrd, Path image, Path qemu, String machine, String accel,
                                    int vcpus, int memory, String transport) {
        return new HypervisorConfig(kernel, initrd, image, null, qemu, machine, null, accel, List.of(), List.of(),
                vcpus, memory, Device.SharedFs.VIRTIO_9P, null, transport, false, Map.of());
    }

    private HypervisorConfig valid() {
        return config(kernel, initrd, null, TestGuest.QEMU, "q35", "tcg", 1, 256, null);
    }

    private String createError(HypervisorConfig config) {
        return createError(config, runDir);
    }

    private String createError(HypervisorConfig config, Path runDir) {
        String message = assertThrows(HypervisorException.class, () -> vm.createVM("sb", config, runDir)).getMessage();
        assertFalse(Files.exists(runDir), "a refused config creates no run dir");
        return message;
    }

    @Test
    void missingKernelIsNamed() {
        Path absent = temp.resolve("no-vmlinuz");
        assertEquals("kernel " + absent + " does not exist or is not a file",
                createError(config(absent, initrd, null, TestGuest.QEMU, "q35", "tcg", 1, 256, null)));
    }

    @Test
    void neitherOrBothInitrdAndImageAreRefused() {
        assertEquals("neither an initrd nor a root disk image is configured",
                createError(config(kernel, null, null, TestGuest.QEMU, "q35", "tcg", 1, 256, null)));
        assertEquals("both initrd " + initrd + " and image " + kernel + " are configured; choose one",
                createError(config(kernel, initrd, kernel, TestGuest.QEMU, "q35", "tcg", 1, 256, null)));
    }

    @Test
    void hypervisorBinaryMustExistAndBeExecutable() throws Exception {
        Path absent = temp.resolve("qemu-absent");
        assertEquals("hypervisor binary " + absent + " does not exist",
                createError(config(kernel, initrd, null, absent, "q35", "tcg", 1, 256, null)));
        Path plain = Files.writeString(temp.resolve("qemu-plain"), "#!/bin/sh\n");
        assertEquals("hypervisor binary " + plain + " is not executable",
                createError(config(kernel, initrd, null, plain, "q35", "tcg", 1, 256, null)));
    }

    @Test
    void vcpusAndMemoryMustBeSane() {
        assertEquals("vcpus 0 is out of range 1..255",
                createError(config(kernel, initrd, null, TestGuest.QEMU, "q35", "tcg", 0, 256, null)));
        assertEquals("memory 16 MiB is below the minimum of 64 MiB",
                createError(config(kernel, initrd, null, TestGuest.QEMU, "q35", "tcg", 1, 16, null)));
    }

    @Test
    void unknownMachineAcceleratorAndTransportAreNamed() {
        assertEquals("unsupported machine type 'virt' (supported: q35, microvm)",
                createError(config(kernel, initrd, null, TestGuest.QEMU, "virt", "tcg", 1, 256, null)));
        assertEquals("unknown accelerator 'hvf' (supported: auto, kvm, tcg)",
                createError(config(kernel, initrd, null, TestGuest.QEMU, "q35", "hvf", 1, 256, null)));
        assertEquals("unknown agent transport 'tcp' (supported: virtio-serial, vsock)",
                createError(config(kernel, initrd, null, TestGuest.QEMU, "q35", "tcg", 1, 256, "tcp")));
    }

    @Test
    void runDirTooLongForUnixSocketsIsRefused() {
        Path deep = temp.resolve("d".repeat(120));
        assertEquals("socket path " + deep.resolve("qmp.sock") + " is longer than 107 bytes; use a shorter run directory",
                createError(valid(), deep));
    }

    @Test
    void badAnnotationsAreNamed() {
        HypervisorConfig v = valid();
        java.util.function.Function<Map<String, String>, HypervisorConfig> with = annotations -> new HypervisorConfig(
                v.kernelPath(), v.initrdPath(), null, null, v.hypervisorPath(), "q35", null, "tcg", List.of(), List.of(),
                1, 256, null, null, null, false, annotations);

        assertEquals("annotation io.vcj.qemu.hotplug_ports='many' is not a number in 0..32",
                createError(with.apply(Map.of(QemuHypervisor.HOTPLUG_PORTS, "many"))));
        assertEquals("annotation io.vcj.qemu.vsock_cid='2' is not a number in 3..2147483647",
                createError(with.apply(Map.of(QemuHypervisor.VSOCK_CID, "2"))));
    }

    @Test
    void badDevicesAreNamedAtAddDevice() {
        vm.createVM("sb", valid(), runDir);

        assertEquals("shared directory " + temp.resolve("nope") + " (device s) is not a directory",
                assertThrows(HypervisorException.class, () -> vm.addDevice(
                        new Device.SharedDirectory("s", "tag", temp.resolve("nope"), null, false))).getMessage());
        assertEquals("block device b " + temp.resolve("disk") + " does not exist or is not a file",
                assertThrows(HypervisorException.class, () -> vm.addDevice(
                        new Device.Block("b", temp.resolve("disk"), false))).getMessage());
        assertEquals("network device n has an invalid MAC address '02:42'",
                assertThrows(HypervisorException.class, () -> vm.addDevice(
                        new Device.Network("n", "tap0", "02:42", 1500))).getMessage());
        assertEquals("vfio device v has an invalid PCI address 'gpu0'",
                assertThrows(HypervisorException.class, () -> vm.addDevice(new Device.Vfio("v", "gpu0"))).getMessage());
        assertEquals("device Block[id= , hostPath=/dev/null, readOnly=false] has no id",
                assertThrows(HypervisorException.class, () -> vm.addDevice(
                        new Device.Block(" ", Path.of("/dev/null"), false))).getMessage());
        vm.addDevice(new Device.Vfio("v", "0000:3b:00.0"));
        assertEquals("device id v is already in use",
                assertThrows(HypervisorException.class, () -> vm.addDevice(new Device.Vfio("v", "0000:3c:00.0"))).getMessage());
    }
}
