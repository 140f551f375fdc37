package io.vcj.vc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.vcj.vc.agent.CreateContainerRequest;
import io.vcj.vc.agent.Storage;
import io.vcj.vc.config.Cmd;
import io.vcj.vc.config.ContainerConfig;
import io.vcj.vc.config.DeviceInfo;
import io.vcj.vc.config.Mount;
import io.vcj.vc.config.Rootfs;
import io.vcj.vc.device.VfioDevices;
import io.vcj.vc.host.BlockDevices;
import io.vcj.vc.hypervisor.Device;
import io.vcj.vc.network.NetworkSetup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Devices hot-plugged for a container once its VM runs: VFIO functions and block volumes. */
class HotpluggedDevicesTest {
    private static final Device.Vfio GPU = new Device.Vfio("vfio-0000_01_00.0", "0000:01:00.0");
    private static final Device.Vfio GPU_AUDIO = new Device.Vfio("vfio-0000_01_00.1", "0000:01:00.1");

    @TempDir
    Path tmp;
    Fixture fx;
    /** Stands for /dev/vfio/12: the hook, not vc-core, knows what a VFIO node is. */
    Path groupNode;

    @BeforeEach
    void setUp() throws Exception {
        fx = new Fixture(tmp);
        groupNode = Files.writeString(Files.createDirectories(tmp.resolve("dev/vfio")).resolve("12"), "");
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    @Test
    void theFunctionsOfAVfioGroupArePluggedRecordedAndUnpluggedOnDelete() {
        VfioDevices group12 = devices -> devices.stream().anyMatch(d -> d.hostPath().equals(groupNode))
                ? List.of(GPU, GPU_AUDIO) : List.of();
        VirtContainers vc = fx.newInstance(NetworkSetup.NONE, group12);
        vc.runSandbox(fx.sandbox("pod"));

        vc.createContainer("pod", container(List.of(vfioNode(), tty())));
        assertEquals(List.of(GPU, GPU_AUDIO), fx.lastHypervisor().hotPlugged);

        // The record keeps them typed: another instance reads it back.
        assertEquals(State.READY, fx.newInstance().statusContainer("pod", "gpu").state());

        vc.deleteContainer("pod", "gpu");
        assertEquals(List.of(), fx.lastHypervisor().hotPlugged);
    }

    @Test
    void aStopTearsTheGuestDownWhenAContainerHoldsADeviceEvenIfNothingRuns() {
        VfioDevices group12 = devices -> devices.stream().anyMatch(d -> d.hostPath().equals(groupNode))
                ? List.of(GPU) : List.of();
        VirtContainers vc = fx.newInstance(NetworkSetup.NONE, group12);
        vc.runSandbox(fx.sandbox("pod"));
        vc.createContainer("pod", container(List.of(vfioNode(), tty())));

        vc.stopSandbox("pod");

        assertTrue(fx.lastHypervisor().guest().calls.contains("destroySandbox"),
                "the guest unmounts what containers wrote to before the VM quits: " + fx.lastHypervisor().guest().calls);
    }

    @Test
    void aGroupThatCannotBePassedFailsTheCreateWithItsReasonAndLeavesNothing() {
        var unusable = new VcException.FailedPrecondition(
                "0000:01:00.0 (IOMMU group 12) is bound to nvidia, not vfio-pci: bind it with '...'");
        VirtContainers vc = fx.newInstance(NetworkSetup.NONE, devices -> {
            throw unusable;
        });
        vc.runSandbox(fx.sandbox("pod"));

        assertSame(unusable, assertThrows(VcException.FailedPrecondition.class,
                () -> vc.createContainer("pod", container(List.of(vfioNode())))));

        assertEquals(List.of(), vc.statusSandbox("pod").containers());
        assertEquals(List.of(), fx.lastHypervisor().hotPlugged);
        assertTrue(fx.mounter.nothingMounted(), fx.mounter.toString());
    }

    @Test
    void aMountOfABlockDeviceIsPluggedMountedByTheGuestAndBoundIntoTheContainer() {
        Path disk = Path.of("/dev/loop0");
        assumeTrue(BlockDevices.isBlockDevice(disk), "needs a block device node at " + disk);
        VirtContainers vc = fx.vc;
        vc.runSandbox(fx.sandbox("pod"));

        vc.createContainer("pod", new ContainerConfig("db", new Rootfs.HostPath(fx.rootfs), false, Cmd.of("sleep", "1"),
                List.of(new Mount(disk.toString(), "/data", "ext4", List.of("ro", "noatime"))), List.of(), Map.of(), null));

        assertEquals(List.of(new Device.Block("vol-db-" + dataIndex(request()), disk, true)), fx.lastHypervisor().hotPlugged);
        String guestDir = "/run/vcj/containers/db/mounts/" + dataIndex(request());
        assertTrue(request().storages().contains(new Storage("blk", "02/01", "ext4", List.of("ro", "noatime"), guestDir)),
                request().storages().toString());
        JsonNode data = request().ociSpec().path("mounts").get(dataIndex(request()));
        assertEquals(List.of("bind", guestDir, "[\"rbind\",\"ro\"]"),
                List.of(data.path("type").asText(), data.path("source").asText(), data.path("options").toString()));

        vc.deleteContainer("pod", "db");
        assertEquals(List.of(), fx.lastHypervisor().hotPlugged);
    }

    private CreateContainerRequest request() {
        return fx.lastHypervisor().guest().containers.values().iterator().next();
    }

    private static int dataIndex(CreateContainerRequest request) {
        List<JsonNode> mounts = StreamSupport.stream(request.ociSpec().path("mounts").spliterator(), false).toList();
        for (int i = 0; i < mounts.size(); i++) {
            if (mounts.get(i).path("destination").asText().equals("/data")) {
                return i;
            }
        }
        throw new AssertionError("no /data mount in " + mounts);
    }

    private ContainerConfig container(List<DeviceInfo> devices) {
        return new ContainerConfig("gpu", new Rootfs.HostPath(fx.rootfs), false, Cmd.of("nvidia-smi"), List.of(),
                devices, Map.of(), null);
    }

    private DeviceInfo vfioNode() {
        return new DeviceInfo(groupNode, "/dev/vfio/12", "c", 243, 0, 0666, 0, 0);
    }

    private static DeviceInfo tty() {
        return new DeviceInfo(Path.of("/dev/null"), "/dev/null", "c", 1, 3, 0666, 0, 0);
    }
}
