package io.vcj.qemu;

import io.vcj.vc.hypervisor.Device;
import io.vcj.vc.hypervisor.HypervisorConfig;
import io.vcj.vc.hypervisor.HypervisorException;
import io.vcj.vc.hypervisor.VmTemplate;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class QemuCommandLineTest {

    private static final RunDir RUN = new RunDir(Path.of("/run/vcj/sb1"));

    private static HypervisorConfig config(String machine, Device.SharedFs fs, String transport, List<String> kernelParams) {
        return new HypervisorConfig(Path.of("/k/vmlinuz"), Path.of("/k/initrd.img"), null, null,
                Path.of("/usr/bin/qemu-system-x86_64"), machine, null, "tcg", kernelParams, List.of("-S"),
                2, 512, fs, null, transport, false, Map.of());
    }

    private static List<String> argv(HypervisorConfig config, Device... devices) {
        return QemuCommandLine.build(new LaunchSpec("sb1", config, Accelerator.TCG, RUN, List.of(devices), 42, 2));
    }

    /** The value following {@code flag}, for flags that appear once. */
    private static String valueOf(List<String> argv, String flag) {
        int index = argv.indexOf(flag);
        assertTrue(index >= 0, flag + " missing from " + argv);
        assertEquals(index, argv.lastIndexOf(flag), flag + " appears more than once");
        return argv.get(index + 1);
    }

    /** Every value given to a repeated flag such as -device. */
    private static List<String> valuesOf(List<String> argv, String flag) {
        return java.util.stream.IntStream.range(0, argv.size() - 1)
                .filter(i -> argv.get(i).equals(flag)).mapToObj(i -> argv.get(i + 1)).toList();
    }

    @Test
    void q35VmHasTheBaseFlagsConsoleQmpAndAgentChannel() {
        List<String> argv = argv(config("q35", null, null, List.of()));

        assertEquals("/usr/bin/qemu-system-x86_64", argv.getFirst());
        assertTrue(argv.containsAll(List.of("-nodefaults", "-no-user-config", "-nographic", "-no-reboot")));
        assertEquals("q35", valueOf(argv, "-machine"));
        assertEquals("guest=sb1,debug-threads=on", valueOf(argv, "-name"), "threads named for top -H");
        assertEquals("tcg,tb-size=64", valueOf(argv, "-accel"), "TCG translation buffer bounded");
        assertEquals("qemu64", valueOf(argv, "-cpu"));
        assertEquals("2", valueOf(argv, "-smp"));
        assertEquals("512M", valueOf(argv, "-m"));
        assertEquals("/k/vmlinuz", valueOf(argv, "-kernel"));
        assertEquals("/k/initrd.img", valueOf(argv, "-initrd"));
        assertEquals("/run/vcj/sb1/qemu.pid", valueOf(argv, "-pidfile"));
        assertEquals("chardev:console", valueOf(argv, "-serial"));
        List<String> chardevs = valuesOf(argv, "-chardev");
        assertTrue(chardevs.contains("file,id=console,path=/run/vcj/sb1/console.log"), chardevs.toString());
        assertTrue(chardevs.contains("socket,id=qmp,path=/run/vcj/sb1/qmp.sock,server=on,wait=off"), chardevs.toString());
        assertTrue(chardevs.contains("socket,id=agent,path=/run/vcj/sb1/agent.sock,server=on,wait=off"), chardevs.toString());
        assertEquals(List.of("chardev=qmp,mode=control", "chardev=qmp-attach,mode=control"), valuesOf(argv, "-mon"));
        List<String> devices = valuesOf(argv, "-device");
        assertTrue(devices.contains("virtio-serial-pci,id=serial0"), devices.toString());
        assertTrue(devices.contains("virtserialport,chardev=agent,id=channel0,name=agent.channel.0"), devices.toString());
        assertTrue(devices.contains("virtio-balloon-pci,id=balloon,free-page-reporting=on"), devices.toString());
        assertEquals("-S", argv.getLast(), "hypervisor params come last, verbatim");
    }

    @Test
    void q35GetsEmptyRootPortsForHotplugAndMicrovmNone() {
        List<String> q35 = valuesOf(argv(config("q35", null, null, List.of())), "-device");
        assertTrue(q35.contains("pcie-root-port,id=hotplug-rp0,bus=pcie.0,chassis=1,slot=1"), q35.toString());
        assertTrue(q35.contains("pcie-root-port,id=hotplug-rp1,bus=pcie.0,chassis=2,slot=2"), q35.toString());

        List<String> microvm = valuesOf(argv(config("microvm", null, null, List.of())), "-device");
        assertTrue(microvm.stream().noneMatch(d -> d.startsWith("pcie-root-port")), microvm.toString());
    }

    @Test
    void microvmUsesVirtioMmioDevices() {
        List<String> argv = argv(config("microvm", null, null, List.of()),
                new Device.Block("data", Path.of("/img/data.raw"), false));

        assertEquals("microvm", valueOf(argv, "-machine"));
        assertTrue(valueOf(argv, "-append").contains(" tsc_early_khz="), "no PIT-only TSC calibration under TCG");
        List<String> devices = valuesOf(argv, "-device");
        assertTrue(devices.contains("virtio-serial-device,id=serial0"), devices.toString());
        assertTrue(devices.contains("virtio-blk-device,id=vblk-data,drive=drive-data"), devices.toString());
        assertTrue(devices.contains("virtio-balloon-device,id=balloon,free-page-reporting=on"), devices.toString());
    }

    @Test
    void machineAcceleratorsAreAppendedToTheMachineOption() {
        HypervisorConfig base = config("q35", null, null, List.of());
        HypervisorConfig config = new HypervisorConfig(base.kernelPath(), base.initrdPath(), null, null, base.hypervisorPath(),
                "q35", "nvdimm=off,smm=off", "kvm", List.of(), List.of(), 1, 256, null, null, null, false, Map.of());

        List<String> argv = QemuCommandLine.build(new LaunchSpec("sb1", config, Accelerator.KVM, RUN, List.of(), 0, 0));

        assertEquals("q35,nvdimm=off,smm=off", valueOf(argv, "-machine"));
        assertEquals("kvm", valueOf(argv, "-accel"));
        assertEquals("host", valueOf(argv, "-cpu"));
    }

    @Test
    void onlyTcgGuestsSkipZeroingEveryPageTheyAllocate() {
        HypervisorConfig config = config("q35", null, null, List.of());
        String tcg = valueOf(argv(config), "-append");
        String kvm = valueOf(QemuCommandLine.build(new LaunchSpec("sb1", config, Accelerator.KVM, RUN, List.of(), 0, 0)),
                "-append");

        assertTrue(tcg.contains(" init_on_alloc=0"), tcg);
        assertFalse(kvm.contains("init_on_alloc"), kvm);
    }

    @Test
    void kernelParamsAreOurDefaultsThenTheConfigsInOrder() {
        String append = valueOf(argv(config("q35", null, null, List.of("agent.log=debug", "console=hvc0"))), "-append");

        assertTrue(append.startsWith("console=ttyS0 panic=1 "), append);
        assertTrue(append.contains(" quiet "), append);
        assertTrue(append.endsWith(" agent.log=debug console=hvc0"), append);
    }

    @Test
    void debugDropsQuiet() {
        HypervisorConfig base = config("q35", null, null, List.of());
        HypervisorConfig debug = new HypervisorConfig(base.kernelPath(), base.initrdPath(), null, null, base.hypervisorPath(),
                "q35", null, "tcg", List.of(), List.of(), 1, 256, null, null, null, true, Map.of());

        String append = valueOf(argv(debug), "-append");

        assertFalse(append.contains("quiet"), append);
        assertTrue(append.contains("debug"), append);
    }

    @Test
    void rootImageBootsFromAReadOnlyVirtioDisk() {
        HypervisorConfig image = new HypervisorConfig(Path.of("/k/vmlinuz"), null, Path.of("/k/root.img"), null,
                Path.of("/usr/bin/qemu-system-x86_64"), "q35", null, "tcg", List.of("root=/dev/vdb"), List.of(),
                1, 256, null, null, null, false, Map.of());

        List<String> argv = argv(image);

        assertFalse(argv.contains("-initrd"));
        assertTrue(valuesOf(argv, "-drive").contains("file=/k/root.img,if=none,id=rootfs,format=raw,readonly=on"));
        assertTrue(valuesOf(argv, "-device").contains("virtio-blk-pci,id=rootfs-disk,drive=rootfs"));
        String append = valueOf(argv, "-append");
        assertTrue(append.contains(" root=/dev/vda rootfstype=ext4 ro "), append);
        assertTrue(append.endsWith(" root=/dev/vdb"), "the config's root= comes after ours so it wins: " + append);
    }

    @Test
    void sharedDirectoryOver9p() {
        List<String> argv = argv(config("q35", Device.SharedFs.VIRTIO_9P, null, List.of()),
                new Device.SharedDirectory("shared", "vcjshared", Path.of("/srv/a,b"), null, true));

        assertEquals("local,id=fsdev-shared,path=/srv/a,,b,security_model=none,multidevs=remap,readonly=on",
                valueOf(argv, "-fsdev"), "a comma in a path is doubled for QEMU");
        assertTrue(valuesOf(argv, "-device").contains("virtio-9p-pci,id=v9p-shared,fsdev=fsdev-shared,mount_tag=vcjshared"));
        assertEquals("memory-backend-memfd,id=mem,size=512M,share=off", valueOf(argv, "-object"),
                "9p needs no shared guest memory");
    }

    @Test
    void sharedDirectoryOverVirtioFsNeedsSharedMemoryAndTheDaemonSocket() {
        List<String> argv = argv(config("q35", Device.SharedFs.VIRTIO_FS, null, List.of()),
                new Device.SharedDirectory("shared", "vcjshared", Path.of("/srv/a"), null, false));

        assertEquals("memory-backend-memfd,id=mem,size=512M,share=on", valueOf(argv, "-object"));
        assertEquals("node,memdev=mem", valueOf(argv, "-numa"));
        assertTrue(valuesOf(argv, "-chardev").contains("socket,id=vfschr-shared,path=/run/vcj/sb1/vfs-shared.vfs.sock"));
        assertTrue(valuesOf(argv, "-device")
                .contains("vhost-user-fs-pci,id=vfs-shared,chardev=vfschr-shared,tag=vcjshared,queue-size=1024"));
        assertFalse(argv.contains("-fsdev"));
    }

    @Test
    void blockNetworkAndVfioDevices() {
        List<String> argv = argv(config("q35", null, null, List.of()),
                new Device.Block("disk0", Path.of("/dev/loop3"), true),
                new Device.Network("eth0", "tap0_kata", "02:42:ac:11:00:02", 1450),
                new Device.Vfio("gpu", "0000:3b:00.0"));

        assertTrue(valuesOf(argv, "-drive").contains("file=/dev/loop3,if=none,id=drive-disk0,format=raw,readonly=on"));
        assertEquals("tap,id=netdev-eth0,ifname=tap0_kata,script=no,downscript=no", valueOf(argv, "-netdev"));
        List<String> devices = valuesOf(argv, "-device");
        assertTrue(devices.contains("virtio-blk-pci,id=vblk-disk0,drive=drive-disk0"), devices.toString());
        assertTrue(devices.contains("virtio-net-pci,id=vnet-eth0,netdev=netdev-eth0,mac=02:42:ac:11:00:02,host_mtu=1450"),
                devices.toString());
        assertTrue(devices.contains("vfio-pci,id=vfio-gpu,host=0000:3b:00.0"), devices.toString());
    }

    @Test
    void vfioOnMicrovmIsRejectedWithTheReason() {
        HypervisorException e = assertThrows(HypervisorException.class,
                () -> argv(config("microvm", null, null, List.of()), new Device.Vfio("gpu", "0000:3b:00.0")));

        assertEquals("vfio device gpu needs a PCI machine type (q35), not microvm", e.getMessage());
    }

    @Test
    void vsockAgentTransportReplacesTheSerialPort() {
        List<String> argv = argv(config("q35", null, "vsock", List.of()));

        List<String> devices = valuesOf(argv, "-device");
        assertTrue(devices.contains("vhost-vsock-pci,id=vsock0,guest-cid=42"), devices.toString());
        assertTrue(devices.stream().noneMatch(d -> d.startsWith("virtserialport")), devices.toString());
    }

    @Test
    void unknownMachineTypeIsNamed() {
        HypervisorException e = assertThrows(HypervisorException.class, () -> argv(config("pc-i440fx-9.9", null, null, List.of())));

        assertEquals("unsupported machine type 'pc-i440fx-9.9' (supported: q35, microvm)", e.getMessage());
    }

    @Test
    void longDeviceIdsBecomeShortDistinctQemuIds() {
        String container = "4f1c0a4e2b7d9e8f3a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f";
        String a = QemuIds.of("drive", container);
        String b = QemuIds.of("drive", container.replace('4', '5'));

        assertTrue(a.length() <= 31, a);
        assertTrue(a.startsWith("drive-4f1c0a"), a);
        assertFalse(a.equals(b));
        assertEquals("drive-rootfs", QemuIds.of("drive", "rootfs"));
        assertTrue(QemuIds.of("blk", "a b").matches("blk-a_b-[0-9a-f]{8}"), QemuIds.of("blk", "a b"));
    }

    @Test
    void aTemplateVmKeepsItsRamInTheTemplatesFileSharedAndAResumedVmMapsItPrivatelyAndWaitsForItsState() {
        VmTemplate template = new VmTemplate(Path.of("/run/vcj-template/abc"));
        HypervisorConfig config = config("q35", null, null, List.of());

        List<String> toBe = QemuCommandLine.build(new LaunchSpec("t", config, Accelerator.TCG, RUN, List.of(), 0, 2,
                LaunchSpec.TemplateRole.TO_BE_TEMPLATE, template));
        List<String> resumed = QemuCommandLine.build(new LaunchSpec("sb1", config, Accelerator.TCG, RUN, List.of(), 0, 2,
                LaunchSpec.TemplateRole.FROM_TEMPLATE, template));

        assertEquals("memory-backend-file,id=mem,size=512M,mem-path=/run/vcj-template/abc/memory,share=on",
                valueOf(toBe, "-object"));
        assertFalse(toBe.contains("-incoming"));
        assertEquals("memory-backend-file,id=mem,size=512M,mem-path=/run/vcj-template/abc/memory,share=off",
                valueOf(resumed, "-object"), "copy-on-write: a clone never writes the template");
        assertEquals("defer", valueOf(resumed, "-incoming"), "the state is loaded over QMP once capabilities are set");
        assertEquals("memory-backend-memfd,id=mem,size=512M,share=off", valueOf(argv(config), "-object"));
    }
}
