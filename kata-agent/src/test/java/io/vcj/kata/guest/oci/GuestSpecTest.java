package io.vcj.kata.guest.oci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vcj.kata.guest.BusyboxPod;
import io.vcj.kata.guest.json.JsonReader;
import io.vcj.kata.proto.Hook;
import io.vcj.kata.proto.Hooks;
import io.vcj.kata.proto.LinuxCPU;
import io.vcj.kata.proto.LinuxIDMapping;
import io.vcj.kata.proto.LinuxMemory;
import io.vcj.kata.proto.LinuxResources;
import io.vcj.kata.proto.Spec;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GuestSpecTest {
    private static Map<?, ?> guestConfig(Spec hostSpec) {
        Spec guest = GuestSpec.adapt(hostSpec, Path.of("/run/vcj/shared/c1/rootfs"), "/vcj/c1");
        return (Map<?, ?>) JsonReader.parse(OciJson.toJson(guest));
    }

    @Test
    void pointsRootAndCgroupAtGuestPathsAndDropsHostOnlyParts() {
        Spec host = BusyboxPod.spec("echo", "hi").toBuilder()
                .setHooks(Hooks.newBuilder().addPrestart(Hook.newBuilder().setPath("/usr/bin/host-hook")))
                .build();
        Map<?, ?> config = guestConfig(host);

        assertEquals("/run/vcj/shared/c1/rootfs", ((Map<?, ?>) config.get("root")).get("path"));
        Map<?, ?> linux = (Map<?, ?>) config.get("linux");
        assertEquals("/vcj/c1", linux.get("cgroupsPath"));
        List<?> namespaces = (List<?>) linux.get("namespaces");
        assertEquals(4, namespaces.size());
        for (Object ns : namespaces) {
            assertFalse(((Map<?, ?>) ns).containsKey("path"));
            assertFalse(((Map<?, ?>) ns).get("type").equals("network"));
        }
        List<?> mounts = (List<?>) config.get("mounts");
        assertEquals(List.of("/proc", "/dev", "/dev/pts"), mounts.stream().map(m -> ((Map<?, ?>) m).get("destination")).toList());
        assertFalse(config.containsKey("hooks"));
    }

    @Test
    void writesOciNamesAndUnsignedNumbers() {
        Spec host = BusyboxPod.spec("true").toBuilder()
                .setVersion("1.0.2")
                .setLinux(BusyboxPod.spec("true").getLinux().toBuilder()
                        .addUIDMappings(LinuxIDMapping.newBuilder().setHostID(1000).setContainerID(0).setSize(1))
                        .setResources(LinuxResources.newBuilder()
                                .setMemory(LinuxMemory.newBuilder().setLimit(-1).setDisableOOMKiller(true))
                                .setCPU(LinuxCPU.newBuilder().setShares(-1L).setCpus("0-63"))))
                .putAnnotations("io.kubernetes.cri.container-type", "sandbox")
                .build();
        Map<?, ?> config = guestConfig(host);

        assertEquals("1.0.2", config.get("ociVersion"));
        assertEquals(Map.of("io.kubernetes.cri.container-type", "sandbox"), config.get("annotations"));
        Map<?, ?> linux = (Map<?, ?>) config.get("linux");
        assertEquals(Map.of("hostID", 1000L, "size", 1L), ((List<?>) linux.get("uidMappings")).get(0));
        Map<?, ?> resources = (Map<?, ?>) linux.get("resources");
        assertEquals(Map.of("limit", -1L, "disableOOMKiller", true), resources.get("memory"));
        // uint64 max, as Go writes it; the host's CPU list does not apply in the VM.
        assertEquals(Map.of("shares", -1L), resources.get("cpu"));
        Map<?, ?> process = (Map<?, ?>) config.get("process");
        assertEquals(List.of("true"), process.get("args"));
        assertTrue(process.containsKey("user"));
    }

    @Test
    void derivesJsonNamesFromGoNames() {
        assertEquals("uidMappings", OciJson.jsonName("UIDMappings"));
        assertEquals("oomScoreAdj", OciJson.jsonName("OOMScoreAdj"));
        assertEquals("hostID", OciJson.jsonName("HostID"));
        assertEquals("cpu", OciJson.jsonName("CPU"));
        assertEquals("blockIO", OciJson.jsonName("BlockIO"));
        assertEquals("throttleReadIOPSDevice", OciJson.jsonName("ThrottleReadIOPSDevice"));
        assertEquals("l3CacheSchema", OciJson.jsonName("L3CacheSchema"));
        assertEquals("pageSize", OciJson.jsonName("Pagesize"));
        assertEquals("destination", OciJson.jsonName("destination"));
    }
}
