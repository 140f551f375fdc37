package io.vcj.it.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vcj.vc.VcException;
import io.vcj.vc.config.Cmd;
import io.vcj.vc.config.ContainerConfig;
import io.vcj.vc.config.SandboxConfig;
import io.vcj.vc.hypervisor.HypervisorConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Bad sandbox configs fail before any VM starts, with an error that names the problem, and leave
 * no state behind. Nothing here boots: the kernel and initramfs are empty files, which would
 * never get far, so a test that wrongly started QEMU would still fail on the leftover check.
 */
class BadSandboxConfigIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ID = "bad";

    private VmPods pods;
    private Path kernel;
    private Path initrd;

    @BeforeEach
    void setUp() throws Exception {
        pods = new VmPods();
        kernel = Files.createFile(pods.dir.resolve("vmlinux"));
        initrd = Files.createFile(pods.dir.resolve("initrd.img"));
    }

    @AfterEach
    void tearDown() throws Exception {
        pods.close();
    }

    private SandboxConfig.Builder sandbox(HypervisorConfig hypervisor) throws Exception {
        return VmPods.sandbox(ID, hypervisor).container(pods.container("c", "true"));
    }

    /** Fails with {@code type}, naming {@code problem}, and nothing was started or recorded. */
    private <E extends VcException> void refused(Class<E> type, String problem, Executable create) {
        E e = assertThrows(type, create);
        assertTrue(e.getMessage().contains(problem), "'" + problem + "' not named in: " + e.getMessage());
        assertEquals(0, PodInVmIT.qemusUnder(pods.root).count(), "a QEMU was started");
        assertFalse(Files.exists(pods.root.resolve(ID)), "state was left for the refused sandbox");
        assertEquals(List.of(), pods.vc.listSandbox());
    }

    @Test
    void missingKernel() {
        Path missing = pods.dir.resolve("no-such-vmlinux");
        refused(VcException.InvalidArgument.class, "kernel " + missing, () -> pods.vc.runSandbox(
                sandbox(VmPods.hypervisor(missing, initrd, VmPods.QEMU_BINARY)).build()));
    }

    @Test
    void missingInitramfs() {
        Path missing = pods.dir.resolve("no-such-initrd.img");
        refused(VcException.InvalidArgument.class, "initrd " + missing, () -> pods.vc.runSandbox(
                sandbox(VmPods.hypervisor(kernel, missing, VmPods.QEMU_BINARY)).build()));
    }

    @Test
    void missingRootImage() {
        Path missing = pods.dir.resolve("no-such-rootfs.img");
        HypervisorConfig withImage = VmPods.hypervisor(kernel, initrd, VmPods.QEMU_BINARY);
        HypervisorConfig imageOnly = new HypervisorConfig(withImage.kernelPath(), null, missing, null,
                withImage.hypervisorPath(), withImage.machineType(), null, withImage.accelerator(), List.of(), List.of(),
                withImage.vcpus(), withImage.memoryMiB(), withImage.sharedFs(), null, null, false, Map.of());
        refused(VcException.InvalidArgument.class, "image " + missing,
                () -> pods.vc.runSandbox(sandbox(imageOnly).build()));
    }

    @Test
    void unknownHypervisorPath() {
        Path missing = Path.of("/nonexistent/qemu-system-x86_64");
        refused(VcException.InvalidArgument.class, missing.toString(), () -> pods.vc.runSandbox(
                sandbox(VmPods.hypervisor(kernel, initrd, missing)).build()));
    }

    @Test
    void invalidOciSpec() throws Exception {
        ObjectNode spec = (ObjectNode) JSON.readTree("{\"ociVersion\": \"1.1.0\", \"process\": {\"cwd\": \"/\"}}");
        ContainerConfig base = pods.container("c", "true");
        ContainerConfig invalid = new ContainerConfig("c", base.rootfs(), false, Cmd.of("true"), List.of(), List.of(),
                Map.of(), spec);
        refused(VcException.InvalidArgument.class, "process.args", () -> pods.vc.runSandbox(
                VmPods.sandbox(ID, VmPods.hypervisor(kernel, initrd, VmPods.QEMU_BINARY)).container(invalid).build()));
    }

    @Test
    void duplicateContainerId() {
        refused(VcException.AlreadyExists.class, "'c' twice", () -> pods.vc.runSandbox(
                sandbox(VmPods.hypervisor(kernel, initrd, VmPods.QEMU_BINARY)).container(pods.container("c", "true")).build()));
    }
}
