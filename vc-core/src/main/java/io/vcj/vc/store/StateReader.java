package io.vcj.vc.store;

import com.fasterxml.jackson.databind.JsonNode;
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
import io.vcj.vc.config.VmResources;
import io.vcj.vc.config.Volume;
import io.vcj.vc.hypervisor.AgentChannel;
import io.vcj.vc.hypervisor.Device;
import io.vcj.vc.hypervisor.HypervisorConfig;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Persisted state from the JSON tree {@link StateWriter} makes, as databind's record mapping read
 * it: a missing or null field is null (0 or false for primitives, which the records' constructors
 * turn into their defaults), unknown fields are ignored.
 */
final class StateReader {
    private StateReader() {
    }

    static SandboxRecord sandbox(JsonNode o) {
        return new SandboxRecord(text(o, "id"), object(o, "config", StateReader::sandboxConfig),
                constant(o, "state", State.class), list(o, "vmPids", JsonNode::asLong),
                object(o, "agentChannel", StateReader::agentChannel), instant(o, "createdAt"), map(o, "annotations"),
                list(o, "containers", StateReader::container));
    }

    private static ContainerRecord container(JsonNode o) {
        return new ContainerRecord(text(o, "id"), object(o, "config", StateReader::containerConfig),
                constant(o, "state", State.class), text(o, "guestRootfs"), list(o, "hotplugged", StateReader::device),
                instant(o, "startTime"), object(o, "exitStatus", StateReader::exitStatus),
                list(o, "execs", e -> new ExecRecord(text(e, "execId"), object(e, "cmd", StateReader::cmd),
                        instant(e, "startTime"), object(e, "exitStatus", StateReader::exitStatus))));
    }

    private static ExitStatus exitStatus(JsonNode o) {
        return new ExitStatus(o.path("code").asInt(), instant(o, "exitedAt"));
    }

    private static SandboxConfig sandboxConfig(JsonNode o) {
        return new SandboxConfig(text(o, "id"), text(o, "hostname"),
                object(o, "vm", vm -> new VmResources(vm.path("vcpus").asInt(), vm.path("memoryMiB").asInt())),
                text(o, "hypervisorType"), object(o, "hypervisorConfig", StateReader::hypervisorConfig),
                text(o, "agentType"),
                object(o, "agentConfig", a -> new AgentConfig(duration(a, "dialTimeout"), a.path("debug").asBoolean())),
                object(o, "network", n -> new NetworkConfig(path(n, "netnsPath"),
                        constant(n, "interworkingModel", NetInterworkingModel.class), n.path("createNamespace").asBoolean())),
                strings(o, "dns"), list(o, "volumes", v -> new Volume(text(v, "mountTag"), path(v, "hostPath"))),
                list(o, "containers", StateReader::containerConfig), map(o, "annotations"));
    }

    private static HypervisorConfig hypervisorConfig(JsonNode o) {
        return new HypervisorConfig(path(o, "kernelPath"), path(o, "initrdPath"), path(o, "imagePath"),
                path(o, "firmwarePath"), path(o, "hypervisorPath"), text(o, "machineType"),
                text(o, "machineAccelerators"), text(o, "accelerator"), strings(o, "kernelParams"),
                strings(o, "hypervisorParams"), o.path("vcpus").asInt(), o.path("memoryMiB").asInt(),
                constant(o, "sharedFs", Device.SharedFs.class), path(o, "virtioFsDaemon"), text(o, "agentTransport"),
                o.path("debug").asBoolean(), map(o, "annotations"));
    }

    private static ContainerConfig containerConfig(JsonNode o) {
        return new ContainerConfig(text(o, "id"), object(o, "rootfs", StateReader::rootfs),
                o.path("readonlyRootfs").asBoolean(), object(o, "cmd", StateReader::cmd),
                list(o, "mounts", StateReader::mount),
                list(o, "devices", d -> new DeviceInfo(path(d, "hostPath"), text(d, "containerPath"),
                        text(d, "devType"), d.path("major").asLong(), d.path("minor").asLong(),
                        d.path("fileMode").asInt(), d.path("uid").asInt(), d.path("gid").asInt())),
                map(o, "annotations"), o.get("ociSpec") instanceof ObjectNode spec ? spec : null);
    }

    private static Rootfs rootfs(JsonNode o) {
        return switch (o.path("kind").asText()) {
            case "hostPath" -> new Rootfs.HostPath(path(o, "path"));
            case "blockDevice" -> new Rootfs.BlockDevice(path(o, "device"), text(o, "fsType"), strings(o, "options"));
            case "mounts" -> new Rootfs.Mounts(list(o, "mounts", StateReader::mount));
            default -> throw unknownKind("rootfs", o);
        };
    }

    private static Mount mount(JsonNode o) {
        return new Mount(text(o, "source"), text(o, "destination"), text(o, "type"), strings(o, "options"));
    }

    private static Cmd cmd(JsonNode o) {
        return new Cmd(strings(o, "args"), strings(o, "env"), text(o, "workDir"), text(o, "user"),
                text(o, "primaryGroup"), strings(o, "supplementaryGroups"), o.path("interactive").asBoolean(),
                o.path("terminal").asBoolean(), o.path("noNewPrivileges").asBoolean(),
                object(o, "capabilities", c -> new LinuxCapabilities(strings(c, "bounding"), strings(c, "effective"),
                        strings(c, "inheritable"), strings(c, "permitted"), strings(c, "ambient"))));
    }

    private static Device device(JsonNode o) {
        return switch (o.path("kind").asText()) {
            case "sharedDirectory" -> new Device.SharedDirectory(text(o, "id"), text(o, "tag"), path(o, "hostPath"),
                    constant(o, "fs", Device.SharedFs.class), o.path("readOnly").asBoolean());
            case "block" -> new Device.Block(text(o, "id"), path(o, "hostPath"), o.path("readOnly").asBoolean());
            case "network" -> new Device.Network(text(o, "id"), text(o, "tapName"), text(o, "macAddress"),
                    o.path("mtu").asInt());
            case "vfio" -> new Device.Vfio(text(o, "id"), text(o, "hostBdf"));
            default -> throw unknownKind("device", o);
        };
    }

    private static AgentChannel agentChannel(JsonNode o) {
        return switch (o.path("kind").asText()) {
            case "serialSocket" -> new AgentChannel.SerialSocket(path(o, "socket"));
            case "vsock" -> new AgentChannel.Vsock(o.path("contextId").asLong(), o.path("port").asInt());
            default -> throw unknownKind("agent channel", o);
        };
    }

    private static IllegalArgumentException unknownKind(String what, JsonNode o) {
        return new IllegalArgumentException("state has a " + what + " of unknown kind: " + o);
    }

    private static String text(JsonNode o, String field) {
        JsonNode value = o.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static <T> T object(JsonNode o, String field, Function<JsonNode, T> read) {
        JsonNode value = o.get(field);
        return value == null || value.isNull() ? null : read.apply(value);
    }

    private static <T> List<T> list(JsonNode o, String field, Function<JsonNode, T> element) {
        JsonNode value = o.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        var list = new ArrayList<T>(value.size());
        value.forEach(e -> list.add(element.apply(e)));
        return list;
    }

    private static List<String> strings(JsonNode o, String field) {
        return list(o, field, JsonNode::asText);
    }

    private static Map<String, String> map(JsonNode o, String field) {
        JsonNode value = o.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        var map = new HashMap<String, String>();
        value.properties().forEach(e -> map.put(e.getKey(), e.getValue().asText()));
        return map;
    }

    private static <E extends Enum<E>> E constant(JsonNode o, String field, Class<E> type) {
        String name = text(o, field);
        return name == null ? null : Enum.valueOf(type, name);
    }

    /** A file URI as written, or a plain path (what databind's path deserializer also took). */
    private static Path path(JsonNode o, String field) {
        String value = text(o, field);
        return value == null ? null : value.indexOf(':') < 0 ? Path.of(value) : Path.of(URI.create(value));
    }

    private static Instant instant(JsonNode o, String field) {
        String value = text(o, field);
        return value == null ? null : Instant.parse(value);
    }

    private static Duration duration(JsonNode o, String field) {
        String value = text(o, field);
        return value == null ? null : Duration.parse(value);
    }
}
