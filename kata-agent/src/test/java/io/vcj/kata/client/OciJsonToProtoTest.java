package io.vcj.kata.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vcj.kata.proto.LinuxSyscall;
import io.vcj.kata.proto.Spec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OciJsonToProtoTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Parts of what `runc spec` and containerd write, with the fields whose names do not follow the plain rule. */
    private static final String CONFIG = """
            {
              "ociVersion": "1.1.0",
              "process": {
                "terminal": true,
                "consoleSize": {"height": 24, "width": 80},
                "user": {"uid": 1000, "gid": 1000, "additionalGids": [10, 20]},
                "args": ["sh", "-c", "echo hi"],
                "env": ["PATH=/bin"],
                "cwd": "/",
                "capabilities": {"bounding": ["CAP_KILL"], "effective": ["CAP_KILL"]},
                "rlimits": [{"type": "RLIMIT_NOFILE", "hard": 18446744073709551615, "soft": 1024}],
                "noNewPrivileges": true,
                "oomScoreAdj": -500,
                "scheduler": {"policy": "SCHED_OTHER"}
              },
              "root": {"path": "rootfs", "readonly": true},
              "hostname": "box",
              "mounts": [{"destination": "/proc", "type": "proc", "source": "proc", "options": ["nosuid"]}],
              "annotations": {"io.kubernetes.cri.container-type": "container"},
              "linux": {
                "uidMappings": [{"containerID": 0, "hostID": 100000, "size": 65536}],
                "sysctl": {"net.ipv4.ip_forward": "1"},
                "resources": {
                  "memory": {"limit": 536870912, "disableOOMKiller": false},
                  "cpu": {"shares": 1024, "quota": -1, "period": 100000, "cpus": "0-1"},
                  "pids": {"limit": 64},
                  "hugepageLimits": [{"pageSize": "2MB", "limit": 0}],
                  "blockIO": {"weight": 10, "throttleReadIOPSDevice": [{"major": 8, "minor": 0, "rate": 100}]}
                },
                "cgroupsPath": "/pod/box",
                "namespaces": [{"type": "pid"}, {"type": "network", "path": "/var/run/netns/x"}],
                "seccomp": {
                  "defaultAction": "SCMP_ACT_ERRNO",
                  "syscalls": [
                    {"names": ["read"], "action": "SCMP_ACT_ALLOW"},
                    {"names": ["mount"], "action": "SCMP_ACT_ERRNO", "errnoRet": 0}
                  ]
                },
                "maskedPaths": ["/proc/kcore"],
                "intelRdt": {"l3CacheSchema": "L3:0=ff"}
              }
            }
            """;

    @Test
    void readsAContainerConfig() throws Exception {
        Spec spec = OciJsonToProto.spec(JSON.readTree(CONFIG));

        assertEquals("1.1.0", spec.getVersion());
        assertEquals(24, spec.getProcess().getConsoleSize().getHeight());
        assertEquals(1000, spec.getProcess().getUser().getUID());
        assertEquals(java.util.List.of(10, 20), spec.getProcess().getUser().getAdditionalGidsList());
        assertEquals(java.util.List.of("sh", "-c", "echo hi"), spec.getProcess().getArgsList());
        assertEquals("CAP_KILL", spec.getProcess().getCapabilities().getBounding(0));
        assertEquals("18446744073709551615", Long.toUnsignedString(spec.getProcess().getRlimits(0).getHard()));
        assertEquals(-500, spec.getProcess().getOOMScoreAdj());
        assertTrue(spec.getRoot().getReadonly());
        assertEquals("/proc", spec.getMounts(0).getDestination());
        assertEquals("container", spec.getAnnotationsMap().get("io.kubernetes.cri.container-type"));
        assertEquals(100000, spec.getLinux().getUIDMappings(0).getHostID());
        assertEquals("1", spec.getLinux().getSysctlMap().get("net.ipv4.ip_forward"));
        assertEquals(536870912, spec.getLinux().getResources().getMemory().getLimit());
        assertEquals(-1, spec.getLinux().getResources().getCPU().getQuota());
        assertEquals("0-1", spec.getLinux().getResources().getCPU().getCpus());
        assertEquals(64, spec.getLinux().getResources().getPids().getLimit());
        assertEquals("2MB", spec.getLinux().getResources().getHugepageLimits(0).getPagesize());
        assertEquals(100, spec.getLinux().getResources().getBlockIO().getThrottleReadIOPSDevice(0).getRate());
        assertEquals("/var/run/netns/x", spec.getLinux().getNamespaces(1).getPath());
        assertEquals("L3:0=ff", spec.getLinux().getIntelRdt().getL3CacheSchema());
    }

    @Test
    void errnoZeroIsToldApartFromNoErrno() throws Exception {
        var syscalls = OciJsonToProto.spec(JSON.readTree(CONFIG)).getLinux().getSeccomp().getSyscallsList();
        assertEquals(LinuxSyscall.ErrnoRetCase.ERRNORET_NOT_SET, syscalls.get(0).getErrnoRetCase());
        assertEquals(LinuxSyscall.ErrnoRetCase.ERRNORET, syscalls.get(1).getErrnoRetCase());
        assertEquals(0, syscalls.get(1).getErrnoret());
    }

    @Test
    void aValueOfTheWrongTypeIsNamedByItsPath() throws Exception {
        ObjectNode config = (ObjectNode) JSON.readTree(CONFIG);
        ((ObjectNode) config.get("process")).putArray("args").add("sh").add(7);
        var e = assertThrows(IllegalArgumentException.class, () -> OciJsonToProto.spec(config));
        assertTrue(e.getMessage().contains("spec.process.args[1] must be a string"), e.getMessage());
    }

    @Test
    void aNegativeUnsignedValueIsRefused() throws Exception {
        JsonNode user = JSON.readTree("{\"user\": {\"uid\": -1}}");
        var e = assertThrows(IllegalArgumentException.class, () -> OciJsonToProto.process(user));
        assertTrue(e.getMessage().contains("process.user.uid is -1, out of range"), e.getMessage());
    }

    @Test
    void absentAndNullFieldsStayUnset() throws Exception {
        Spec spec = OciJsonToProto.spec(JSON.readTree("{\"process\": {\"args\": [\"true\"]}, \"linux\": null}"));
        assertFalse(spec.hasLinux());
        assertFalse(spec.hasRoot());
        assertEquals("true", spec.getProcess().getArgs(0));
    }

    @ParameterizedTest
    @CsvSource({
            "UIDMappings, uidMappings", "UID, uid", "OOMScoreAdj, oomScoreAdj", "CPU, cpu", "BlockIO, blockIO",
            "HostID, hostID", "L3CacheSchema, l3CacheSchema", "DisableOOMKiller, disableOOMKiller",
            "destination, destination", "Version, ociVersion", "Pagesize, pageSize", "errnoret, errnoRet"})
    void jsonNamesFollowTheOciTags(String proto, String json) {
        assertEquals(json, OciJsonToProto.jsonName(proto));
    }
}
