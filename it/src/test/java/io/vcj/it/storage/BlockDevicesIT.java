package io.vcj.it.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.vcj.it.HostRequirements;
import io.vcj.it.vm.GuestImage;
import io.vcj.it.vm.VmPods;
import io.vcj.qemu.qmp.QmpClient;
import io.vcj.vc.config.Cmd;
import io.vcj.vc.config.ContainerConfig;
import io.vcj.vc.config.DeviceInfo;
import io.vcj.vc.config.Mount;
import io.vcj.vc.config.Rootfs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Containers on block devices, created in a pod whose VM is already up: an ext4 rootfs on one loop
 * device, an ext4 volume on another and a raw disk given as a device are hot-plugged (QMP
 * device_add virtio-blk-pci), mounted by the guest or put at the container's device path, read and
 * written by the container, and unplugged when it is deleted.
 */
@Timeout(600)
class BlockDevicesIT {
    private static final String POD = "blkpod";

    private VmPods pods;
    private LoopDevice rootDisk;
    private LoopDevice volumeDisk;
    private LoopDevice rawDisk;

    @BeforeEach
    void podAndDisks() throws Exception {
        HostRequirements.assumeRootWithContainerd();
        GuestImage image = GuestImage.get();
        pods = new VmPods();
        Path busybox = HostRequirements.assumeStaticBusybox();
        Path rootfs = VmPods.rootfs(busybox, pods.dir.resolve("blk-rootfs"));
        Files.createDirectories(rootfs.resolve("data"));
        Files.writeString(rootfs.resolve("etc-marker"), "on the rootfs disk\n");
        rootDisk = LoopDevice.ext4(pods.dir.resolve("root.img"), 32, rootfs);
        Path volume = Files.createDirectories(pods.dir.resolve("volume"));
        Files.writeString(volume.resolve("in"), "prepared on the host\n");
        volumeDisk = LoopDevice.ext4(pods.dir.resolve("volume.img"), 16, volume);
        Path raw = Files.write(pods.dir.resolve("raw.img"), new byte[1 << 20]);
        Files.writeString(raw, "raw sector zero", StandardOpenOption.WRITE);
        rawDisk = LoopDevice.over(raw);
        pods.vc.runSandbox(VmPods.sandbox(POD, VmPods.hypervisor(image.kernel(), image.initrd(), VmPods.QEMU_BINARY))
                .container(pods.container("idle", "sleep", "1000")).build());
    }

    @AfterEach
    void tearDown() throws Exception {
        try {
            if (pods != null) {
                pods.close();
            }
        } finally {
            for (LoopDevice disk : new LoopDevice[] {rootDisk, volumeDisk, rawDisk}) {
                if (disk != null) {
                    disk.close();
                }
            }
        }
    }

    @Test
    void aBlockRootfsVolumeAndDeviceArePluggedIntoTheRunningVmUsedAndUnpluggedOnDelete() throws Exception {
        var container = new ContainerConfig("disks", new Rootfs.BlockDevice(rootDisk.device, "ext4", List.of()), false,
                Cmd.of("sh", "-c", "cat /etc-marker /data/in && echo written in the VM > /data/out"
                        + " && echo on the root > /written && dd if=/dev/xvdb bs=15 count=1 2>/dev/null && echo"
                        + " && echo raw sector one | dd of=/dev/xvdb bs=512 seek=1 conv=fsync 2>/dev/null"),
                List.of(new Mount(volumeDisk.device.toString(), "/data", "ext4", List.of("rw"))),
                List.of(new DeviceInfo(rawDisk.device, "/dev/xvdb", "b", 7, 0, 0660, 0, 0)), Map.of(), null);
        try (QmpClient qmp = QmpClient.connect(pods.root.resolve(POD).resolve("qmp-attach.sock"), Duration.ofSeconds(30))) {
            List<String> devicesBefore = pciDevices(qmp);

            pods.vc.createContainer(POD, container);
            assertTrue(blockFiles(qmp).containsAll(disks()), "the disks are plugged: " + blockFiles(qmp));
            assertEquals(devicesBefore.size() + 3, pciDevices(qmp).size(), "three PCI devices more: " + pciDevices(qmp));

            pods.vc.startContainer(POD, "disks");
            assertEquals("on the rootfs disk\nprepared on the host\nraw sector zero\n",
                    VmPods.stdout(pods.vc.processIo(POD, "disks", "")));
            assertEquals(0, pods.vc.waitProcess(POD, "disks", "").code());

            pods.vc.deleteContainer(POD, "disks");
            for (String disk : disks()) {
                assertFalse(blockFiles(qmp).contains(disk), disk + " is still plugged: " + blockFiles(qmp));
            }
            assertEquals(devicesBefore, pciDevices(qmp), "the PCI devices after the delete");
        }
        // The guest unmounted the filesystems before the unplug, so what the container wrote is on the disks.
        assertEquals("written in the VM\n", volumeDisk.read("/out"));
        assertEquals("on the root\n", rootDisk.read("/written"));
        assertEquals("raw sector one\n", new String(Files.readAllBytes(rawDisk.image), 512, 15, StandardCharsets.US_ASCII));
    }

    private List<String> disks() {
        return List.of(rootDisk.device.toString(), volumeDisk.device.toString(), rawDisk.device.toString());
    }

    /** The host files behind QEMU's block nodes. */
    private static List<String> blockFiles(QmpClient qmp) {
        var files = new ArrayList<String>();
        for (JsonNode block : qmp.execute("query-block")) {
            files.add(block.path("inserted").path("file").asText());
        }
        for (JsonNode node : qmp.execute("query-named-block-nodes")) {
            files.add(node.path("file").asText());
        }
        return files;
    }

    /** The qdev ids of the devices on every PCI bus. */
    private static List<String> pciDevices(QmpClient qmp) {
        var ids = new ArrayList<String>();
        collect(qmp.execute("query-pci"), ids);
        return ids.stream().sorted().toList();
    }

    private static void collect(Iterable<JsonNode> buses, List<String> ids) {
        for (JsonNode bus : buses) {
            for (JsonNode device : bus.path("devices")) {
                ids.add(device.path("qdev_id").asText() + "@" + device.path("bus").asInt() + ":" + device.path("slot").asInt());
                collect(device.path("pci_bridge").path("devices").isMissingNode() ? List.of()
                        : List.of(device.path("pci_bridge")), ids);
            }
        }
    }
}
