package io.vcj.vc.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vcj.vc.VcException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** OCI runtime specs: reading containerd's config.json, checking it, and building one from a {@link Cmd}. */
public final class OciSpecs {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private OciSpecs() {
    }

    /** A container config whose command, mounts, read-only flag and annotations come from {@code spec}. */
    public static ContainerConfig containerConfig(String id, Rootfs rootfs, ObjectNode spec, boolean interactive) {
        validate(id, spec);
        var mounts = new ArrayList<Mount>();
        spec.path("mounts").forEach(m -> mounts.add(new Mount(m.path("source").asText(null),
                m.path("destination").asText(), m.path("type").asText("bind"), OciProcess.strings(m.path("options")))));
        return new ContainerConfig(id, rootfs, spec.path("root").path("readonly").asBoolean(false),
                OciProcess.toCmd(spec.get("process"), interactive), mounts, hostDevices(spec), annotations(spec), spec);
    }

    /**
     * The spec's {@code linux.devices} that must come from the host into the VM: block devices (plugged
     * as disks) and VFIO groups ({@code /dev/vfio/N}, passed through). Other character devices (fuse,
     * tty...) exist in the guest kernel too: the guest's runc makes them from the spec as it stands.
     */
    static List<DeviceInfo> hostDevices(JsonNode spec) {
        var devices = new ArrayList<DeviceInfo>();
        for (JsonNode device : spec.path("linux").path("devices")) {
            String path = device.path("path").asText("");
            String type = device.path("type").asText("");
            boolean vfioGroup = type.equals("c") && path.matches("/dev/vfio/[0-9]+");
            if (type.equals("b") || vfioGroup) {
                devices.add(new DeviceInfo(Path.of(path), path, type, device.path("major").asLong(),
                        device.path("minor").asLong(), device.path("fileMode").asInt(0660),
                        device.path("uid").asInt(0), device.path("gid").asInt(0)));
            }
        }
        return devices;
    }

    /** The rootfs a bundle's spec names ({@code root.path}, relative to the bundle unless absolute). */
    public static Rootfs.HostPath bundleRootfs(Path bundle, JsonNode spec) {
        String root = spec.path("root").path("path").asText("rootfs");
        return new Rootfs.HostPath(bundle.toAbsolutePath().resolve(root).normalize());
    }

    /** Rejects a spec the guest could not run, naming the first problem. */
    public static void validate(String containerId, JsonNode spec) {
        String where = "OCI spec of container '" + containerId + "'";
        if (spec == null || !spec.isObject()) {
            throw new VcException.InvalidArgument(where + " is not a JSON object");
        }
        if (!spec.path("ociVersion").isTextual()) {
            throw new VcException.InvalidArgument(where + " has no ociVersion");
        }
        JsonNode process = spec.path("process");
        if (!process.isObject() || !process.path("args").isArray() || process.path("args").isEmpty()) {
            throw new VcException.InvalidArgument(where + " has no process.args");
        }
        if (!process.path("cwd").asText("/").startsWith("/")) {
            throw new VcException.InvalidArgument(where + " has a relative process.cwd");
        }
        for (JsonNode mount : spec.path("mounts")) {
            if (!mount.path("destination").asText("").startsWith("/")) {
                throw new VcException.InvalidArgument(where + " has a mount without an absolute destination: " + mount);
            }
        }
    }

    /** A spec for a container given only as a {@link Cmd}: the usual pseudo filesystems and namespaces. */
    public static ObjectNode build(ContainerConfig config, String hostname) {
        return build(config.cmd(), config.readonlyRootfs(), config.mounts(), config.annotations(), hostname);
    }

    /** The same for a container that has no {@link ContainerConfig}: the usual pseudo filesystems, then {@code extraMounts}. */
    public static ObjectNode build(Cmd cmd, boolean readonlyRootfs, List<Mount> extraMounts,
                                   Map<String, String> annotationMap, String hostname) {
        ObjectNode spec = JSON.objectNode();
        spec.put("ociVersion", "1.1.0");
        spec.set("process", OciProcess.toJson(cmd));
        spec.putObject("root").put("path", "rootfs").put("readonly", readonlyRootfs);
        spec.put("hostname", hostname);
        ArrayNode mounts = spec.putArray("mounts");
        defaultMounts().forEach(m -> mounts.add(toJson(m)));
        extraMounts.forEach(m -> mounts.add(toJson(m)));
        ObjectNode annotations = spec.putObject("annotations");
        annotationMap.forEach(annotations::put);
        ObjectNode linux = spec.putObject("linux");
        ArrayNode namespaces = linux.putArray("namespaces");
        for (String ns : List.of("pid", "ipc", "uts", "mount")) {
            namespaces.addObject().put("type", ns);
        }
        return spec;
    }

    /** Reads OCI {@code linux.resources} (as in containerd's Update request). */
    public static ContainerResources resources(JsonNode linuxResources) {
        JsonNode cpu = linuxResources.path("cpu");
        JsonNode memory = linuxResources.path("memory");
        return new ContainerResources(longOrNull(cpu, "shares"), longOrNull(cpu, "quota"), longOrNull(cpu, "period"),
                cpu.path("cpus").asText(null), cpu.path("mems").asText(null), longOrNull(memory, "limit"),
                longOrNull(memory, "swap"), longOrNull(linuxResources.path("pids"), "limit"));
    }

    /** The annotations of a spec, or none. */
    public static Map<String, String> annotations(JsonNode spec) {
        var annotations = new HashMap<String, String>();
        spec.path("annotations").properties().forEach(e -> annotations.put(e.getKey(), e.getValue().asText()));
        return annotations;
    }

    private static Long longOrNull(JsonNode parent, String field) {
        return parent.hasNonNull(field) ? parent.get(field).asLong() : null;
    }

    private static List<Mount> defaultMounts() {
        return List.of(
                new Mount("proc", "/proc", "proc", List.of("nosuid", "noexec", "nodev")),
                new Mount("tmpfs", "/dev", "tmpfs", List.of("nosuid", "strictatime", "mode=755", "size=65536k")),
                new Mount("devpts", "/dev/pts", "devpts",
                        List.of("nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620")),
                new Mount("shm", "/dev/shm", "tmpfs", List.of("nosuid", "noexec", "nodev", "mode=1777", "size=65536k")),
                new Mount("mqueue", "/dev/mqueue", "mqueue", List.of("nosuid", "noexec", "nodev")),
                new Mount("sysfs", "/sys", "sysfs", List.of("nosuid", "noexec", "nodev", "ro")));
    }

    static ObjectNode toJson(Mount mount) {
        ObjectNode json = JSON.objectNode();
        json.put("destination", mount.destination());
        json.put("type", mount.type());
        json.put("source", mount.source());
        mount.options().forEach(json.putArray("options")::add);
        return json;
    }
}
