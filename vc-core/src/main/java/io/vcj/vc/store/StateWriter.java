package io.vcj.vc.store;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vcj.vc.ExitStatus;
import io.vcj.vc.config.Cmd;
import io.vcj.vc.config.ContainerConfig;
import io.vcj.vc.config.DeviceInfo;
import io.vcj.vc.config.LinuxCapabilities;
import io.vcj.vc.config.Mount;
import io.vcj.vc.config.Rootfs;
import io.vcj.vc.config.SandboxConfig;
import io.vcj.vc.config.Volume;
import io.vcj.vc.hypervisor.AgentChannel;
import io.vcj.vc.hypervisor.Device;
import io.vcj.vc.hypervisor.HypervisorConfig;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Persisted state as a JSON tree, field by field. The format is what jackson-databind's record
 * mapping wrote (components in order, nulls kept, paths as file URIs, time values as ISO-8601,
 * polymorphic values with a "kind" first, and DeviceInfo's {@code isBlock()} as "block"); mapping
 * by hand spares the shim databind's bean machinery: ~200 jackson classes and the method handles it
 * spins. {@link StateReader} is the way back.
 */
final class StateWriter {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private StateWriter() {
    }

    static ObjectNode sandbox(SandboxRecord s) {
        ObjectNode o = NODES.objectNode();
        o.put("id", s.id());
        o.set("config", s.config() == null ? null : sandboxConfig(s.config()));
        o.put("state", name(s.state()));
        ArrayNode pids = o.putArray("vmPids");
        s.vmPids().forEach(pids::add);
        o.set("agentChannel", s.agentChannel() == null ? null : agentChannel(s.agentChannel()));
        o.put("createdAt", text(s.createdAt()));
        o.set("annotations", map(s.annotations()));
        o.set("containers", array(s.containers(), StateWriter::container));
        return o;
    }

    private static ObjectNode container(ContainerRecord c) {
        ObjectNode o = NODES.objectNode();
        o.put("id", c.id());
        o.set("config", c.config() == null ? null : containerConfig(c.config()));
        o.put("state", name(c.state()));
        o.put("guestRootfs", c.guestRootfs());
        o.set("hotplugged", array(c.hotplugged(), StateWriter::device));
        o.put("startTime", text(c.startTime()));
        o.set("exitStatus", exitStatus(c.exitStatus()));
        o.set("execs", array(c.execs(), e -> {
            ObjectNode x = NODES.objectNode();
            x.put("execId", e.execId());
            x.set("cmd", e.cmd() == null ? null : cmd(e.cmd()));
            x.put("startTime", text(e.startTime()));
            x.set("exitStatus", exitStatus(e.exitStatus()));
            return x;
        }));
        return o;
    }

    private static ObjectNode exitStatus(ExitStatus status) {
        if (status == null) {
            return null;
        }
        ObjectNode o = NODES.objectNode();
        o.put("code", status.code());
        o.put("exitedAt", text(status.exitedAt()));
        return o;
    }

    private static ObjectNode sandboxConfig(SandboxConfig c) {
        ObjectNode o = NODES.objectNode();
        o.put("id", c.id());
        o.put("hostname", c.hostname());
        ObjectNode vm = o.putObject("vm");
        vm.put("vcpus", c.vm().vcpus());
        vm.put("memoryMiB", c.vm().memoryMiB());
        o.put("hypervisorType", c.hypervisorType());
        o.set("hypervisorConfig", hypervisorConfig(c.hypervisorConfig()));
        o.put("agentType", c.agentType());
        ObjectNode agent = o.putObject("agentConfig");
        agent.put("dialTimeout", text(c.agentConfig().dialTimeout()));
        agent.put("debug", c.agentConfig().debug());
        ObjectNode network = o.putObject("network");
        network.put("netnsPath", uri(c.network().netnsPath()));
        network.put("interworkingModel", name(c.network().interworkingModel()));
        network.put("createNamespace", c.network().createNamespace());
        o.set("dns", strings(c.dns()));
        o.set("volumes", array(c.volumes(), (Volume v) -> {
            ObjectNode x = NODES.objectNode();
            x.put("mountTag", v.mountTag());
            x.put("hostPath", uri(v.hostPath()));
            return x;
        }));
        o.set("containers", array(c.containers(), StateWriter::containerConfig));
        o.set("annotations", map(c.annotations()));
        return o;
    }

    private static ObjectNode hypervisorConfig(HypervisorConfig h) {
        ObjectNode o = NODES.objectNode();
        o.put("kernelPath", uri(h.kernelPath()));
        o.put("initrdPath", uri(h.initrdPath()));
        o.put("imagePath", uri(h.imagePath()));
        o.put("firmwarePath", uri(h.firmwarePath()));
        o.put("hypervisorPath", uri(h.hypervisorPath()));
        o.put("machineType", h.machineType());
        o.put("machineAccelerators", h.machineAccelerators());
        o.put("accelerator", h.accelerator());
        o.set("kernelParams", strings(h.kernelParams()));
        o.set("hypervisorParams", strings(h.hypervisorParams()));
        o.put("vcpus", h.vcpus());
        o.put("memoryMiB", h.memoryMiB());
        o.put("sharedFs", name(h.sharedFs()));
        o.put("virtioFsDaemon", uri(h.virtioFsDaemon()));
        o.put("agentTransport", h.agentTransport());
        o.put("debug", h.debug());
        o.set("annotations", map(h.annotations()));
        return o;
    }

    private static ObjectNode containerConfig(ContainerConfig c) {
        ObjectNode o = NODES.objectNode();
        o.put("id", c.id());
        o.set("rootfs", rootfs(c.rootfs()));
        o.put("readonlyRootfs", c.readonlyRootfs());
        o.set("cmd", cmd(c.cmd()));
        o.set("mounts", array(c.mounts(), StateWriter::mount));
        o.set("devices", array(c.devices(), (DeviceInfo d) -> {
            ObjectNode x = NODES.objectNode();
            x.put("hostPath", uri(d.hostPath()));
            x.put("containerPath", d.containerPath());
            x.put("devType", d.devType());
            x.put("major", d.major());
            x.put("minor", d.minor());
            x.put("fileMode", d.fileMode());
            x.put("uid", d.uid());
            x.put("gid", d.gid());
            x.put("block", d.isBlock());
            return x;
        }));
        o.set("annotations", map(c.annotations()));
        o.set("ociSpec", c.ociSpec());
        return o;
    }

    private static ObjectNode rootfs(Rootfs rootfs) {
        return switch (rootfs) {
            case Rootfs.HostPath r -> kind("hostPath").put("path", uri(r.path()));
            case Rootfs.BlockDevice r -> {
                ObjectNode o = kind("blockDevice").put("device", uri(r.device())).put("fsType", r.fsType());
                o.set("options", strings(r.options()));
                yield o;
            }
            case Rootfs.Mounts r -> {
                ObjectNode o = kind("mounts");
                o.set("mounts", array(r.mounts(), StateWriter::mount));
                yield o;
            }
        };
    }

    private static ObjectNode mount(Mount m) {
        ObjectNode o = NODES.objectNode().put("source", m.source()).put("destination", m.destination())
                .put("type", m.type());
        o.set("options", strings(m.options()));
        return o;
    }

    private static ObjectNode cmd(Cmd c) {
        ObjectNode o = NODES.objectNode();
        o.set("args", strings(c.args()));
        o.set("env", strings(c.env()));
        o.put("workDir", c.workDir());
        o.put("user", c.user());
        o.put("primaryGroup", c.primaryGroup());
        o.set("supplementaryGroups", strings(c.supplementaryGroups()));
        o.put("interactive", c.interactive());
        o.put("terminal", c.terminal());
        o.put("noNewPrivileges", c.noNewPrivileges());
        LinuxCapabilities caps = c.capabilities();
        ObjectNode x = o.putObject("capabilities");
        x.set("bounding", strings(caps.bounding()));
        x.set("effective", strings(caps.effective()));
        x.set("inheritable", strings(caps.inheritable()));
        x.set("permitted", strings(caps.permitted()));
        x.set("ambient", strings(caps.ambient()));
        return o;
    }

    private static ObjectNode device(Device device) {
        return switch (device) {
            case Device.SharedDirectory d -> kind("sharedDirectory").put("id", d.id()).put("tag", d.tag())
                    .put("hostPath", uri(d.hostPath())).put("fs", name(d.fs())).put("readOnly", d.readOnly());
            case Device.Block d -> kind("block").put("id", d.id()).put("hostPath", uri(d.hostPath()))
                    .put("readOnly", d.readOnly());
            case Device.Network d -> kind("network").put("id", d.id()).put("tapName", d.tapName())
                    .put("macAddress", d.macAddress()).put("mtu", d.mtu());
            case Device.Vfio d -> kind("vfio").put("id", d.id()).put("hostBdf", d.hostBdf());
        };
    }

    private static ObjectNode agentChannel(AgentChannel channel) {
        return switch (channel) {
            case AgentChannel.SerialSocket c -> kind("serialSocket").put("socket", uri(c.socket()));
            case AgentChannel.Vsock c -> kind("vsock").put("contextId", c.contextId()).put("port", c.port());
        };
    }

    private static ObjectNode kind(String kind) {
        return NODES.objectNode().put("kind", kind);
    }

    private static <T> ArrayNode array(List<T> values, Function<T, ObjectNode> element) {
        ArrayNode a = NODES.arrayNode();
        values.forEach(v -> a.add(element.apply(v)));
        return a;
    }

    private static ArrayNode strings(List<String> values) {
        ArrayNode a = NODES.arrayNode();
        values.forEach(a::add);
        return a;
    }

    private static ObjectNode map(Map<String, String> values) {
        ObjectNode o = NODES.objectNode();
        values.forEach((key, value) -> o.put(key, value));
        return o;
    }

    private static String uri(Path path) {
        return path == null ? null : path.toUri().toString();
    }

    private static String name(Enum<?> value) {
        return value == null ? null : value.name();
    }

    private static String text(Object timeValue) {
        return timeValue == null ? null : timeValue.toString();
    }
}
