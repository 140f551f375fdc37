package io.vcj.vc.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vcj.vc.VcException;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OciSpecsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static ObjectNode spec(String json) throws Exception {
        return (ObjectNode) JSON.readTree(json);
    }

    @Test
    void blockDevicesAndVfioGroupsOfTheSpecComeFromTheHostOtherDevicesStayInTheSpec() throws Exception {
        ObjectNode spec = spec("""
                {"ociVersion": "1.1.0", "process": {"args": ["sh"], "cwd": "/"},
                 "linux": {"devices": [
                   {"path": "/dev/loop7", "type": "b", "major": 7, "minor": 7, "fileMode": 432, "uid": 0, "gid": 6},
                   {"path": "/dev/fuse", "type": "c", "major": 10, "minor": 229},
                   {"path": "/dev/vfio/vfio", "type": "c", "major": 10, "minor": 196},
                   {"path": "/dev/vfio/42", "type": "c", "major": 243, "minor": 0}]}}
                """);

        List<DeviceInfo> devices = OciSpecs.containerConfig("web", new Rootfs.HostPath(Path.of("/b/rootfs")), spec,
                false).devices();

        assertEquals(List.of(new DeviceInfo(Path.of("/dev/loop7"), "/dev/loop7", "b", 7, 7, 0660, 0, 6),
                new DeviceInfo(Path.of("/dev/vfio/42"), "/dev/vfio/42", "c", 243, 0, 0660, 0, 0)), devices);
    }

    @Test
    void aContainerdSpecGivesTheContainerItsCommandMountsAndAnnotations() throws Exception {
        ObjectNode spec = spec("""
                {"ociVersion": "1.1.0",
                 "process": {"args": ["nginx"], "cwd": "/srv", "env": ["X=1"], "user": {"uid": 101, "gid": 101}},
                 "root": {"path": "rootfs", "readonly": true},
                 "mounts": [{"destination": "/tmp", "type": "tmpfs", "source": "tmpfs", "options": ["nosuid"]}],
                 "annotations": {"io.kubernetes.cri.container-type": "container"}}
                """);

        ContainerConfig config = OciSpecs.containerConfig("web", new Rootfs.HostPath(Path.of("/b/rootfs")), spec, true);

        assertEquals(List.of("nginx"), config.cmd().args());
        assertEquals("/srv", config.cmd().workDir());
        assertEquals("101", config.cmd().user());
        assertTrue(config.cmd().interactive());
        assertTrue(config.readonlyRootfs());
        assertEquals(List.of(new Mount("tmpfs", "/tmp", "tmpfs", List.of("nosuid"))), config.mounts());
        assertEquals(Map.of("io.kubernetes.cri.container-type", "container"), config.annotations());
        assertEquals(spec, config.ociSpec());
    }

    @Test
    void theBundleRootfsIsFoundRelativeToTheBundle() throws Exception {
        assertEquals(new Rootfs.HostPath(Path.of("/b/1/rootfs")),
                OciSpecs.bundleRootfs(Path.of("/b/1"), spec("{\"root\": {\"path\": \"rootfs\"}}")));
        assertEquals(new Rootfs.HostPath(Path.of("/images/x")),
                OciSpecs.bundleRootfs(Path.of("/b/1"), spec("{\"root\": {\"path\": \"/images/x\"}}")));
    }

    @Test
    void insaneSpecsAreRefusedNamingTheProblem() throws Exception {
        var noVersion = assertThrows(VcException.InvalidArgument.class,
                () -> OciSpecs.validate("c", spec("{\"process\": {\"args\": [\"ls\"]}}")));
        assertTrue(noVersion.getMessage().contains("ociVersion"), noVersion.getMessage());
        var noArgs = assertThrows(VcException.InvalidArgument.class,
                () -> OciSpecs.validate("c", spec("{\"ociVersion\": \"1.1.0\", \"process\": {\"args\": []}}")));
        assertTrue(noArgs.getMessage().contains("process.args"), noArgs.getMessage());
        var relativeMount = assertThrows(VcException.InvalidArgument.class, () -> OciSpecs.validate("c", spec("""
                {"ociVersion": "1.1.0", "process": {"args": ["ls"]}, "mounts": [{"destination": "tmp"}]}
                """)));
        assertTrue(relativeMount.getMessage().contains("destination"), relativeMount.getMessage());
    }

    @Test
    void aSpecBuiltFromACommandRunsItWithTheUsualFilesystems() {
        var config = new ContainerConfig("c", new Rootfs.HostPath(Path.of("/r")), true, Cmd.of("top"),
                List.of(new Mount("/data", "/data", "bind", List.of("rbind"))), null, Map.of("k", "v"), null);

        ObjectNode spec = OciSpecs.build(config, "host1");

        OciSpecs.validate("c", spec);
        assertEquals("top", spec.at("/process/args/0").asText());
        assertEquals("host1", spec.path("hostname").asText());
        assertTrue(spec.at("/root/readonly").asBoolean());
        assertEquals("/proc", spec.at("/mounts/0/destination").asText());
        assertEquals("/data", spec.at("/mounts/6/destination").asText());
        assertEquals("v", spec.at("/annotations/k").asText());
    }

    @Test
    void linuxResourcesBecomeContainerResources() throws Exception {
        ContainerResources resources = OciSpecs.resources(spec("""
                {"cpu": {"shares": 512, "quota": 50000, "period": 100000, "cpus": "0-1"},
                 "memory": {"limit": 268435456}, "pids": {"limit": 64}}
                """));
        assertEquals(new ContainerResources(512L, 50000L, 100000L, "0-1", null, 268435456L, null, 64L), resources);
        assertNull(OciSpecs.resources(spec("{}")).memoryLimitBytes());
    }
}
