package io.vcj.shim.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vcj.vc.config.NetInterworkingModel;
import io.vcj.vc.hypervisor.Device;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VcjConfigTest {

    @TempDir
    Path dir;
    private Path qemu;
    private Path kernel;
    private Path initrd;

    @BeforeEach
    void guestFiles() throws IOException {
        qemu = Files.createFile(dir.resolve("qemu"));
        kernel = Files.createFile(dir.resolve("vmlinux"));
        initrd = Files.createFile(dir.resolve("initrd.img"));
    }

    @Test
    void readsAKataStyleFile() throws IOException {
        VcjConfig config = load("""
                [hypervisor.qemu]
                path = "%s"
                kernel = "%s"
                initrd = "%s"
                machine_type = "microvm"
                accelerator = "tcg"
                default_vcpus = 2
                default_memory = 1024
                shared_fs = "virtio-9p"
                kernel_params = "vcj.debug  quiet"
                enable_debug = true

                [agent.kata]
                dial_timeout = 90

                [runtime]
                state_root = "/run/vcj-test"
                enable_debug = true
                """.formatted(qemu, kernel, initrd));

        var vm = config.hypervisor();
        assertEquals(qemu, vm.hypervisorPath());
        assertEquals(kernel, vm.kernelPath());
        assertEquals(initrd, vm.initrdPath());
        assertNull(vm.imagePath());
        assertEquals("microvm", vm.machineType());
        assertEquals("tcg", vm.accelerator());
        assertEquals(2, vm.vcpus());
        assertEquals(1024, vm.memoryMiB());
        assertEquals(Device.SharedFs.VIRTIO_9P, vm.sharedFs());
        assertEquals(List.of("vcj.debug", "quiet"), vm.kernelParams());
        assertEquals(true, vm.debug());
        assertEquals(Duration.ofSeconds(90), config.agent().dialTimeout());
        assertEquals(Path.of("/run/vcj-test"), config.stateRoot());
        assertEquals(true, config.debug());
    }

    @Test
    void leavesOutWhatHasAGoodDefault() throws IOException {
        VcjConfig config = load(guestOnly());

        assertEquals("q35", config.hypervisor().machineType());
        assertEquals("auto", config.hypervisor().accelerator());
        assertEquals(1, config.hypervisor().vcpus());
        assertEquals(512, config.hypervisor().memoryMiB());
        assertEquals(Duration.ofSeconds(60), config.agent().dialTimeout());
        assertEquals(Path.of("/run/vcj"), config.stateRoot());
        assertEquals(NetInterworkingModel.TC_FILTER, config.interworking());
    }

    @Test
    void vmTemplatesAreOffUnlessEnabledAndThenLiveInTheirPath() throws IOException {
        assertNull(load(guestOnly()).templatePath());
        assertEquals(Path.of("/run/vcj-template"), load(guestOnly() + "[factory]\nenable_template = true\n").templatePath());
        assertEquals(Path.of("/dev/shm/t"), load(guestOnly() + "[factory]\nenable_template = true\ntemplate_path = \"/dev/shm/t\"\n")
                .templatePath());
        assertEquals(file() + ":7: [factory] template_path: must be an absolute path, got \"t\"",
                error(guestOnly() + "[factory]\nenable_template = true\ntemplate_path = \"t\"\n"));
    }

    @Test
    void anInterworkingModelVcjLacksIsNamed() throws IOException {
        String text = guestOnly() + "[runtime]\ninternetworking_model = \"macvtap\"\n";

        assertEquals(file() + ":6: [runtime] internetworking_model: must be one of tcfilter, bridged, got \"macvtap\"",
                error(text));
    }

    @Test
    void anImageReplacesTheDefaultInitrd() throws IOException {
        Path image = Files.createFile(dir.resolve("rootfs.img"));

        VcjConfig config = load("""
                [hypervisor.qemu]
                path = "%s"
                kernel = "%s"
                image = "%s"
                """.formatted(qemu, kernel, image));

        assertEquals(image, config.hypervisor().imagePath());
        assertNull(config.hypervisor().initrdPath());
    }

    @Test
    void aMissingKernelIsNamedWithFileLineAndKey() throws IOException {
        String text = guestOnly().replace(kernel.toString(), "/nonexistent/vmlinux");

        assertEquals(file() + ":3: [hypervisor.qemu] kernel: /nonexistent/vmlinux does not exist", error(text));
    }

    @Test
    void aValueOfTheWrongTypeIsNamed() throws IOException {
        String text = guestOnly() + "default_memory = \"lots\"\n";

        assertEquals(file() + ":5: [hypervisor.qemu] default_memory: must be an integer, got a string \"lots\"",
                error(text));
    }

    @Test
    void outOfRangeAndUnknownChoicesAreNamed() throws IOException {
        assertEquals(file() + ":5: [hypervisor.qemu] default_vcpus: must be between 1 and 255, got 0",
                error(guestOnly() + "default_vcpus = 0\n"));
        assertEquals(file() + ":5: [hypervisor.qemu] shared_fs: must be one of virtio-9p, virtio-fs, got \"nfs\"",
                error(guestOnly() + "shared_fs = \"nfs\"\n"));
    }

    @Test
    void typosAreNotIgnored() throws IOException {
        assertEquals(file() + ":5: unknown key [hypervisor.qemu] default_memroy",
                error(guestOnly() + "default_memroy = 1024\n"));
        assertEquals(file() + ":5: unknown table [hypervisor.firecracker] (vcj reads [hypervisor.qemu], [agent.kata], [runtime] and [factory])",
                error(guestOnly() + "[hypervisor.firecracker]\n"));
    }

    @Test
    void aRelativeStateRootIsRefused() throws IOException {
        assertEquals(file() + ":7: [runtime] state_root: must be an absolute path, got \"run/vcj\"",
                error(guestOnly() + "\n[runtime]\nstate_root = \"run/vcj\"\n"));
    }

    @Test
    void initrdAndImageTogetherAreRefused() throws IOException {
        Path image = Files.createFile(dir.resolve("rootfs.img"));

        assertEquals(file() + ":4: [hypervisor.qemu] initrd: and image are both set; boot from one of them",
                error(guestOnly() + "image = \"" + image + "\"\n"));
    }

    private String guestOnly() {
        return """
                [hypervisor.qemu]
                path = "%s"
                kernel = "%s"
                initrd = "%s"
                """.formatted(qemu, kernel, initrd);
    }

    private String error(String text) throws IOException {
        Files.writeString(file(), text);
        return assertThrows(ConfigException.class, () -> VcjConfig.load(file())).getMessage();
    }

    private VcjConfig load(String text) throws IOException {
        return VcjConfig.load(Files.writeString(file(), text));
    }

    private Path file() {
        return dir.resolve("configuration.toml");
    }
}
