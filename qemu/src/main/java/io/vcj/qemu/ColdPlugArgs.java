package io.vcj.qemu;

import io.vcj.vc.hypervisor.Device;
import io.vcj.vc.hypervisor.HypervisorException;

import java.util.List;

import static io.vcj.qemu.QemuOpts.escape;

/** The QEMU arguments that put one device in the VM from the start. */
final class ColdPlugArgs {

    private ColdPlugArgs() {
    }

    static List<String> of(Device device, LaunchSpec spec) {
        MachineType machine = spec.machine();
        return switch (device) {
            case Device.SharedDirectory dir when spec.fsOf(dir) == Device.SharedFs.VIRTIO_FS -> List.of(
                    "-chardev", "socket,id=" + QemuIds.of("vfschr", dir.id())
                            + ",path=" + escape(spec.runDir().virtiofsSocket(QemuIds.of("vfs", dir.id()))),
                    "-device", machine.virtio("vhost-user-fs") + ",id=" + QemuIds.of("vfs", dir.id())
                            + ",chardev=" + QemuIds.of("vfschr", dir.id()) + ",tag=" + escape(dir.tag()) + ",queue-size=1024");
            case Device.SharedDirectory dir -> List.of(
                    "-fsdev", "local,id=" + QemuIds.of("fsdev", dir.id()) + ",path=" + escape(dir.hostPath())
                            + ",security_model=none,multidevs=remap" + (dir.readOnly() ? ",readonly=on" : ""),
                    "-device", machine.virtio("virtio-9p") + ",id=" + QemuIds.of("v9p", dir.id())
                            + ",fsdev=" + QemuIds.of("fsdev", dir.id()) + ",mount_tag=" + escape(dir.tag()));
            case Device.Block block -> List.of(
                    "-drive", "file=" + escape(block.hostPath()) + ",if=none,id=" + QemuIds.of("drive", block.id())
                            + ",format=raw" + (block.readOnly() ? ",readonly=on" : ""),
                    "-device", machine.virtio("virtio-blk") + ",id=" + QemuIds.of("vblk", block.id())
                            + ",drive=" + QemuIds.of("drive", block.id()));
            case Device.Network net -> List.of(
                    "-netdev", "tap,id=" + QemuIds.of("netdev", net.id()) + ",ifname=" + escape(net.tapName())
                            + ",script=no,downscript=no",
                    "-device", machine.virtio("virtio-net") + ",id=" + QemuIds.of("vnet", net.id())
                            + ",netdev=" + QemuIds.of("netdev", net.id()) + ",mac=" + escape(net.macAddress())
                            + (net.mtu() > 0 ? ",host_mtu=" + net.mtu() : ""));
            case Device.Vfio vfio -> {
                if (!machine.hasPci()) {
                    throw new HypervisorException("vfio device " + vfio.id() + " needs a PCI machine type (q35), not "
                            + machine.qemuName());
                }
                yield List.of("-device", "vfio-pci,id=" + QemuIds.of("vfio", vfio.id()) + ",host=" + escape(vfio.hostBdf()));
            }
        };
    }
}
