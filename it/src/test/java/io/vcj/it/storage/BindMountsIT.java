package io.vcj.it.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vcj.it.BusyboxRootfs;
import io.vcj.it.Containerd;
import io.vcj.it.CtrResult;
import io.vcj.it.HostRequirements;
import io.vcj.it.shim.ShimOnPath;
import io.vcj.it.vm.GuestImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code ctr run --mount type=bind,...} on our runtime, over each shared file system the config can
 * choose: host directories bound into the container are shared through the VM both ways, a
 * read-only one refuses writes, tmpfs mounts (one asked for, containerd's /dev/shm) keep their size.
 * And {@code ctr run --device}: a host disk becomes the container's, through the VM.
 * One pod per test; the checks are execs into its container.
 */
class BindMountsIT {

    private Path shimDir;
    private Containerd containerd;
    private Path rootfs;
    private Path rw;
    private Path ro;

    @BeforeEach
    void containerdWithOurShim() throws Exception {
        HostRequirements.assumeRootWithContainerd();
        Path busybox = HostRequirements.assumeStaticBusybox();
        shimDir = ShimOnPath.create(Files.createTempDirectory("vcj-storage-it"));
        containerd = Containerd.builder().shimDirectory(shimDir).start();
        rootfs = BusyboxRootfs.create(busybox, containerd.dir().resolve("rootfs"));
        rw = Files.createDirectories(containerd.dir().resolve("rw"));
        ro = Files.createDirectories(containerd.dir().resolve("ro"));
    }

    @AfterEach
    void stopContainerd() throws Exception {
        if (containerd != null) {
            containerd.ctr("tasks", "kill", "-s", "KILL", "pod");
            containerd.ctr("tasks", "delete", "pod");
            containerd.ctr("containers", "delete", "pod");
            containerd.close();
        }
        if (shimDir != null) {
            ShimOnPath.delete(shimDir);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"virtio-9p", "virtio-fs"})
    void bindMountsShareFilesBothWaysReadOnlyOnesRefuseWritesAndTmpfsKeepsItsSize(String sharedFs) throws Exception {
        Files.writeString(rw.resolve("from-host"), "written on the host\n");
        Files.writeString(ro.resolve("readme"), "read only\n");
        Path config = VcjConfigFile.write(containerd.dir().resolve("vcj.toml"), GuestImage.get(), sharedFs,
                containerd.dir().resolve("vcj-state"));
        containerd.ctr("run", "-d", "--runtime", ShimOnPath.RUNTIME, "--runtime-config-path", config.toString(),
                "--mount", "type=bind,src=" + rw + ",dst=/mnt/rw,options=rbind:rw",
                "--mount", "type=bind,src=" + ro + ",dst=/mnt/ro,options=rbind:ro",
                "--mount", "type=tmpfs,src=tmpfs,dst=/scratch,options=size=1m",
                "--rootfs", rootfs.toString(), "pod", "/bin/sleep", "1000").orThrow();

        assertEquals("written on the host", exec("/bin/cat", "/mnt/rw/from-host").orThrow().stdout().strip(),
                "host -> container over " + sharedFs);

        exec("/bin/sh", "-c", "echo written in the container > /mnt/rw/from-container").orThrow();
        assertEquals("written in the container\n", Files.readString(rw.resolve("from-container")),
                "container -> host over " + sharedFs);

        Files.writeString(rw.resolve("from-host"), "changed on the host\n");
        assertEquals("changed on the host", exec("/bin/cat", "/mnt/rw/from-host").orThrow().stdout().strip(),
                "a change on the host after the container read the file, over " + sharedFs);

        assertEquals("read only", exec("/bin/cat", "/mnt/ro/readme").orThrow().stdout().strip());
        CtrResult write = exec("/bin/sh", "-c", "echo no > /mnt/ro/readme");
        assertEquals(1, write.exitCode(), write.toString());
        assertTrue(write.stderr().contains("Read-only file system"), write.toString());
        assertEquals("read only\n", Files.readString(ro.resolve("readme")));
        CtrResult create = exec("/bin/sh", "-c", ": > /mnt/ro/new");
        assertEquals(1, create.exitCode(), create.toString());
        assertFalse(Files.exists(ro.resolve("new")), "a file created through a read-only mount");

        List<String> mounts = exec("/bin/cat", "/proc/mounts").orThrow().stdout().lines().toList();
        assertTrue(mounts.stream().anyMatch(m -> m.startsWith("tmpfs /scratch tmpfs ") && m.contains("size=1024k")),
                "a 1 MiB tmpfs at /scratch: " + mounts);
        assertTrue(mounts.stream().anyMatch(m -> m.contains(" /dev/shm tmpfs ") && m.contains("size=65536k")),
                "containerd's 64 MiB /dev/shm: " + mounts);
    }

    @Test
    void aDiskGivenWithCtrDeviceIsReadAndWrittenInTheContainer() throws Exception {
        Path image = containerd.dir().resolve("disk.img");
        byte[] disk = new byte[4 << 20];
        byte[] marker = "written on the host".getBytes(StandardCharsets.UTF_8);
        System.arraycopy(marker, 0, disk, 0, marker.length);
        Files.write(image, disk);
        try (LoopDevice loop = LoopDevice.over(image)) {
            Path config = VcjConfigFile.write(containerd.dir().resolve("vcj.toml"), GuestImage.get(), "virtio-9p",
                    containerd.dir().resolve("vcj-state"));
            containerd.ctr("run", "-d", "--runtime", ShimOnPath.RUNTIME, "--runtime-config-path", config.toString(),
                    "--device", loop.device.toString(), "--rootfs", rootfs.toString(), "pod", "/bin/sleep", "1000")
                    .orThrow();
            String device = loop.device.toString();

            assertEquals("written on the host", exec("/bin/busybox", "head", "-c", String.valueOf(marker.length), device)
                    .orThrow().stdout());
            exec("/bin/sh", "-c", "printf 'written in the container' | /bin/busybox dd of=" + device
                    + " bs=4096 seek=1 conv=notrunc,fsync").orThrow();
            containerd.ctr("tasks", "delete", "--force", "pod").orThrow();

            byte[] after = Files.readAllBytes(image);
            assertEquals("written in the container", new String(after, 4096, 24, StandardCharsets.UTF_8));
        }
    }

    private int execs;

    private CtrResult exec(String... command) throws Exception {
        List<String> args = new ArrayList<>(List.of("tasks", "exec", "--exec-id", "check" + execs++, "pod"));
        args.addAll(List.of(command));
        return containerd.ctr(args.toArray(String[]::new));
    }
}
