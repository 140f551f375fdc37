package io.vcj.qemu;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vcj.qemu.qmp.QmpClient;
import io.vcj.qemu.qmp.QmpCodec;
import io.vcj.qemu.qmp.QmpException;
import io.vcj.qemu.qmp.QmpMessage;
import io.vcj.vc.hypervisor.Device;
import io.vcj.vc.hypervisor.HotplugResult;
import io.vcj.vc.hypervisor.HypervisorException;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.IntStream;

/**
 * Hot-plugs devices into a running q35 VM over QMP, one per empty PCIe root port. The guest
 * address is the kata PCI path {@code <root port slot>/00}, which the agent resolves to a device.
 */
final class Hotplugger {

    /** The guest has to acknowledge an unplug, and PCIe native hotplug waits 5 s for a cancel. */
    static final Duration UNPLUG_TIMEOUT = Duration.ofSeconds(30);

    private final QmpClient qmp;
    private final MachineType machine;
    private final int ports;
    private final Map<String, Integer> portByDevice = new HashMap<>();

    Hotplugger(QmpClient qmp, MachineType machine, int ports) {
        this.qmp = qmp;
        this.machine = machine;
        this.ports = ports;
    }

    synchronized HotplugResult add(Device device) {
        if (!machine.hasPci()) {
            throw new HypervisorException("machine type " + machine.qemuName() + " does not support hotplug of " + device.id());
        }
        if (portByDevice.containsKey(device.id())) {
            throw new HypervisorException("device " + device.id() + " is already hot-plugged");
        }
        int port = IntStream.range(0, ports).filter(p -> !portByDevice.containsValue(p)).findFirst()
                .orElseThrow(() -> new HypervisorException("no free hotplug port for device " + device.id()
                        + ": all " + ports + " are in use"));
        String bus = QemuCommandLine.rootPortId(port);
        try {
            switch (device) {
                case Device.Block block -> addBlock(block, bus);
                case Device.Network net -> addNetwork(net, bus);
                case Device.Vfio vfio -> deviceAdd(QmpCodec.newObject().put("driver", "vfio-pci")
                        .put("id", QemuIds.of("vfio", vfio.id())).put("host", vfio.hostBdf()).put("bus", bus));
                case Device.SharedDirectory dir -> throw new HypervisorException(
                        "shared directory " + dir.id() + " cannot be hot-plugged; add it before the VM starts");
            }
        } catch (QmpException e) {
            throw new HypervisorException("hotplug of device " + device.id() + " failed: " + e.getMessage(), e);
        }
        portByDevice.put(device.id(), port);
        return new HotplugResult(String.format("%02x/00", rootPortSlot(bus)));
    }

    synchronized void remove(Device device) {
        Integer port = portByDevice.get(device.id());
        if (port == null) {
            throw new HypervisorException("device " + device.id() + " was not hot-plugged");
        }
        try {
            switch (device) {
                case Device.Block block -> {
                    deviceDel(QemuIds.of("vblk", block.id()));
                    qmp.execute("blockdev-del", QmpCodec.newObject().put("node-name", QemuIds.of("drive", block.id())));
                }
                case Device.Network net -> {
                    deviceDel(QemuIds.of("vnet", net.id()));
                    qmp.execute("netdev_del", QmpCodec.newObject().put("id", QemuIds.of("netdev", net.id())));
                }
                case Device.Vfio vfio -> deviceDel(QemuIds.of("vfio", vfio.id()));
                case Device.SharedDirectory dir -> throw new IllegalStateException("shared directories are never hot-plugged");
            }
        } catch (QmpException e) {
            throw new HypervisorException("hot-unplug of device " + device.id() + " failed: " + e.getMessage(), e);
        }
        portByDevice.remove(device.id());
    }

    private void addBlock(Device.Block block, String bus) {
        String node = QemuIds.of("drive", block.id());
        ObjectNode file = QmpCodec.newObject()
                .put("driver", block.hostPath().startsWith("/dev") ? "host_device" : "file")
                .put("filename", block.hostPath().toString());
        ObjectNode blockdev = QmpCodec.newObject().put("driver", "raw").put("node-name", node)
                .put("read-only", block.readOnly());
        blockdev.set("file", file);
        qmp.execute("blockdev-add", blockdev);
        try {
            deviceAdd(QmpCodec.newObject().put("driver", machine.virtio("virtio-blk"))
                    .put("id", QemuIds.of("vblk", block.id())).put("drive", node).put("bus", bus));
        } catch (QmpException e) {
            qmp.execute("blockdev-del", QmpCodec.newObject().put("node-name", node));
            throw e;
        }
    }

    private void addNetwork(Device.Network net, String bus) {
        String netdev = QemuIds.of("netdev", net.id());
        qmp.execute("netdev_add", QmpCodec.newObject().put("type", "tap").put("id", netdev)
                .put("ifname", net.tapName()).put("script", "no").put("downscript", "no"));
        ObjectNode device = QmpCodec.newObject().put("driver", machine.virtio("virtio-net"))
                .put("id", QemuIds.of("vnet", net.id())).put("netdev", netdev).put("mac", net.macAddress()).put("bus", bus);
        if (net.mtu() > 0) {
            device.put("host_mtu", net.mtu());
        }
        try {
            deviceAdd(device);
        } catch (QmpException e) {
            qmp.execute("netdev_del", QmpCodec.newObject().put("id", netdev));
            throw e;
        }
    }

    private void deviceAdd(ObjectNode arguments) {
        qmp.execute("device_add", arguments);
    }

    /** device_del only asks the guest; the device is gone when DEVICE_DELETED says so. */
    private void deviceDel(String id) {
        CompletableFuture<QmpMessage.Event> deleted = qmp.awaitEvent(event ->
                event.name().equals("DEVICE_DELETED") && id.equals(event.data().path("device").asText()));
        try {
            qmp.execute("device_del", QmpCodec.newObject().put("id", id));
            deleted.get(UNPLUG_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new HypervisorException("guest did not release device " + id + " within " + UNPLUG_TIMEOUT.toSeconds() + "s");
        } catch (ExecutionException e) {
            throw new HypervisorException("waiting for removal of device " + id + ": " + e.getCause().getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HypervisorException("interrupted while removing device " + id, e);
        } finally {
            deleted.cancel(false);
        }
    }

    private int rootPortSlot(String rootPortId) {
        for (JsonNode bus : qmp.execute("query-pci")) {
            for (JsonNode device : bus.path("devices")) {
                if (rootPortId.equals(device.path("qdev_id").asText())) {
                    return device.path("slot").asInt();
                }
            }
        }
        throw new HypervisorException("root port " + rootPortId + " is missing from query-pci");
    }
}
