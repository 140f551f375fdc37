package io.vcj.vc.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vcj.vc.ExitStatus;
import io.vcj.vc.State;
import io.vcj.vc.config.AgentConfig;
import io.vcj.vc.config.Cmd;
import io.vcj.vc.config.ContainerConfig;
import io.vcj.vc.config.DeviceInfo;
import io.vcj.vc.config.LinuxCapabilities;
import io.vcj.vc.config.Mount;
import io.vcj.vc.config.NetInterworkingModel;
import io.vcj.vc.config.NetworkConfig;
import io.vcj.vc.config.Rootfs;
import io.vcj.vc.config.SandboxConfig;
import io.vcj.vc.config.Volume;
import io.vcj.vc.hypervisor.AgentChannel;
import io.vcj.vc.hypervisor.Device;
import io.vcj.vc.hypervisor.HypervisorConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * state.json keeps its format: state-v1.json was written by the shim that mapped records with
 * jackson-databind's record support, and a newer shim must read it and write the same bytes.
 */
class StateFormatTest {
    @TempDir
    Path root;

    @Test
    void readsStateWrittenByEarlierShims() throws Exception {
        var store = new SandboxStore(root);
        store.createDir("pod");
        Files.copy(resource("state-v1.json"), store.dir("pod").resolve("state.json"));

        assertEquals(everyField(), store.load("pod"));
    }

    @Test
    void writesTheSameFormat() throws Exception {
        var store = new SandboxStore(root);
        store.createDir("pod");
        store.write(everyField());

        assertEquals(Files.readString(resource("state-v1.json")), Files.readString(store.dir("pod").resolve("state.json")));
    }

    @Test
    void fieldsMissingFromOlderStatesTakeTheirDefaults() throws Exception {
        var store = new SandboxStore(root);
        store.createDir("pod");
        Files.writeString(store.dir("pod").resolve("state.json"), """
                {"id": "pod", "state": "READY", "vmPids": [], "annotations": {}, "containers": [],
                 "config": {"id": "pod", "vm": {"vcpus": 1, "memoryMiB": 256}, "hypervisorType": "qemu",
                            "hypervisorConfig": {"kernelPath": "/k"}, "agentType": "kata", "unknown": 1}}
                """);

        SandboxRecord read = store.load("pod");

        assertEquals(SandboxConfig.builder("pod").vm(1, 256)
                .hypervisor("qemu", new HypervisorConfig(Path.of("/k"), null, null, null, null, null, null, null,
                        null, null, 0, 0, null, null, null, false, null))
                .agent("kata", null).build(), read.config());
        assertEquals(null, read.agentChannel());
        assertEquals(null, read.createdAt());
    }

    @Test
    void vsockChannelsRoundTrip() {
        var store = new SandboxStore(root);
        store.createDir("pod");
        var pod = withVsock();
        store.write(pod);

        assertEquals(pod, store.load("pod"));
    }

    private static SandboxRecord withVsock() {
        try {
            return everyField().withVm(List.of(), new AgentChannel.Vsock(3, 1024));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static Path resource(String name) throws Exception {
        return Path.of(StateFormatTest.class.getResource(name).toURI());
    }

    /** A sandbox with every field set and every kind of rootfs, device and agent channel. */
    static SandboxRecord everyField() throws Exception {
        var hypervisor = new HypervisorConfig(Path.of("/guest/vmlinux"), Path.of("/guest/initrd"), null,
                Path.of("/guest/bios.bin"), Path.of("/usr/bin/qemu-system-x86_64"), "q35", "nvdimm=off", "tcg",
                List.of("quiet", "panic=1"), List.of("-no-reboot"), 2, 512, Device.SharedFs.VIRTIO_FS,
                Path.of("/usr/libexec/virtiofsd"), "vsock", true, Map.of("io.vcj.h", "1"));
        var spec = (ObjectNode) new ObjectMapper().readTree("""
                {"ociVersion": "1.0.2", "process": {"args": ["sh", "-c", "echo \\"hi\\""], "terminal": false},
                 "linux": {"namespaces": [{"type": "pid"}], "resources": {"memory": {"limit": 1.5e9}}}}""");
        var caps = new LinuxCapabilities(List.of("CAP_KILL"), List.of("CAP_KILL", "CAP_CHOWN"), List.of(),
                List.of("CAP_KILL"), null);
        var cmd = new Cmd(List.of("sleep", "1000"), List.of("PATH=/bin", "A=b c"), "/work", "1000", "100",
                List.of("10", "wheel"), true, true, true, caps);
        var web = new ContainerConfig("web", new Rootfs.HostPath(Path.of("/run/bundle/web/rootfs")), true, cmd,
                List.of(new Mount("proc", "/proc", "proc", List.of("nosuid")), new Mount("/h", "/c", "bind", null)),
                List.of(new DeviceInfo(Path.of("/dev/sdb"), "/dev/xvdb", "b", 8, 16, 0660, 0, 6),
                        new DeviceInfo(Path.of("/dev/null2"), "/dev/null2", "c", 1, 3, 0666, 1, 2)),
                Map.of("io.kubernetes.cri.container-type", "container"), spec);
        var disk = ContainerConfig.of("disk", new Rootfs.BlockDevice(Path.of("/dev/vdb"), "ext4", List.of("ro")),
                Cmd.of("true"));
        var layered = ContainerConfig.of("layered", new Rootfs.Mounts(List.of(
                new Mount("overlay", "/", "overlay", List.of("lowerdir=/a", "upperdir=/b")))), Cmd.of("true"));
        var config = SandboxConfig.builder("pod").hostname("pod-host").vm(2, 512).hypervisor("qemu", hypervisor)
                .agent("kata", new AgentConfig(Duration.ofMillis(2500), true))
                .network(new NetworkConfig(Path.of("/var/run/netns/cni-1"), NetInterworkingModel.TC_FILTER, true))
                .dns("nameserver 10.0.0.1").volume(new Volume("share0", Path.of("/srv/share")))
                .container(web).annotation("io.vcj.a", "b").build();
        var started = Instant.parse("2026-11-24T01:02:03.456789Z");
        var exec = new ExecRecord("e1", Cmd.of("ls", "-l"), started.plusSeconds(1),
                new ExitStatus(2, Instant.parse("2026-11-24T01:02:05Z")));
        var running = new ExecRecord("e2", Cmd.of("top"), started.plusSeconds(2), null);
        var webRecord = new ContainerRecord("web", web, State.RUNNING, "/run/kata-containers/web/rootfs",
                List.of(new Device.SharedDirectory("fs0", "share0", Path.of("/srv/share"), Device.SharedFs.VIRTIO_9P, true),
                        new Device.Block("blk0", Path.of("/dev/sdb"), false),
                        new Device.Network("net0", "tap0", "02:00:00:00:00:01", 1500),
                        new Device.Vfio("vfio0", "0000:00:1f.2")),
                started, null, List.of(exec, running));
        var diskRecord = new ContainerRecord("disk", disk, State.STOPPED, "/run/kata-containers/disk/rootfs",
                List.of(), null, new ExitStatus(0, Instant.parse("2026-11-24T01:03:00Z")), List.of());
        var layeredRecord = new ContainerRecord("layered", layered, State.READY, "/l", List.of(), null, null, List.of());
        return new SandboxRecord("pod", config, State.RUNNING, List.of(4242L, 4243L),
                new AgentChannel.SerialSocket(Path.of("/run/vcj/pod/agent.sock")), Instant.parse("2026-11-24T01:02:00Z"),
                Map.of("io.vcj.a", "b"), List.of(webRecord, diskRecord, layeredRecord));
    }
}
