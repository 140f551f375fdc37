package io.vcj.kata.client;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vcj.kata.proto.ARPNeighbors;
import io.vcj.kata.proto.AddARPNeighborsRequest;
import io.vcj.kata.proto.CreateContainerRequest;
import io.vcj.kata.proto.CreateSandboxRequest;
import io.vcj.kata.proto.Device;
import io.vcj.kata.proto.ExecProcessRequest;
import io.vcj.kata.proto.LinuxCPU;
import io.vcj.kata.proto.LinuxMemory;
import io.vcj.kata.proto.LinuxPids;
import io.vcj.kata.proto.LinuxResources;
import io.vcj.kata.proto.RemoveContainerRequest;
import io.vcj.kata.proto.Routes;
import io.vcj.kata.proto.SignalProcessRequest;
import io.vcj.kata.proto.Spec;
import io.vcj.kata.proto.Storage;
import io.vcj.kata.proto.UpdateContainerRequest;
import io.vcj.kata.proto.UpdateInterfaceRequest;
import io.vcj.kata.proto.UpdateRoutesRequest;
import io.vcj.kata.proto.types.ARPNeighbor;
import io.vcj.kata.proto.types.IPAddress;
import io.vcj.kata.proto.types.IPFamily;
import io.vcj.kata.proto.types.Interface;
import io.vcj.kata.proto.types.Route;
import io.vcj.vc.agent.GuestDevice;
import io.vcj.vc.agent.Neighbor;
import io.vcj.vc.agent.NetInterface;
import io.vcj.vc.config.ContainerResources;

import java.time.Duration;
import java.util.List;

/** vc-core's requests as kata agent protocol messages. */
final class KataRequests {
    /** NUD_PERMANENT: a static entry the kernel never ages out. */
    static final int NEIGHBOR_PERMANENT = 0x80;
    /** kata's destination for a default route. */
    private static final String DEFAULT_ROUTE = "default";

    private KataRequests() {
    }

    static CreateSandboxRequest createSandbox(io.vcj.vc.agent.CreateSandboxRequest request) {
        return CreateSandboxRequest.newBuilder()
                .setSandboxId(request.sandboxId())
                .setHostname(request.hostname() == null ? "" : request.hostname())
                .addAllDns(request.dns())
                .addAllStorages(storages(request.storages()))
                .build();
    }

    /** The spec travels as {@code grpc.Spec}, its root the guest rootfs whatever the host spec said. */
    static CreateContainerRequest createContainer(io.vcj.vc.agent.CreateContainerRequest request) {
        Spec.Builder spec = OciJsonToProto.spec(request.ociSpec()).toBuilder();
        spec.getRootBuilder().setPath(request.guestRootfs());
        return CreateContainerRequest.newBuilder()
                .setContainerId(request.containerId())
                .setExecId(request.execId())
                .setOCI(spec)
                .addAllStorages(storages(request.storages()))
                .addAllDevices(request.devices().stream().map(KataRequests::device).toList())
                .build();
    }

    static ExecProcessRequest exec(String containerId, String execId, ObjectNode ociProcess) {
        return ExecProcessRequest.newBuilder()
                .setContainerId(containerId)
                .setExecId(execId)
                .setProcess(OciJsonToProto.process(ociProcess))
                .build();
    }

    /** The kata agent signals every process of a container when asked for exec id "", as the kata runtime does. */
    static SignalProcessRequest signal(String containerId, String execId, int signal, boolean all) {
        return SignalProcessRequest.newBuilder()
                .setContainerId(containerId)
                .setExecId(all ? "" : execId)
                .setSignal(signal)
                .build();
    }

    static RemoveContainerRequest removeContainer(String containerId, Duration timeout) {
        long seconds = Math.max(1, (timeout.toMillis() + 999) / 1000);
        return RemoveContainerRequest.newBuilder()
                .setContainerId(containerId)
                .setTimeout((int) Math.min(seconds, Integer.MAX_VALUE))
                .build();
    }

    /** Only the limits that are set: runc update leaves absent ones alone. */
    static UpdateContainerRequest updateContainer(String containerId, ContainerResources resources) {
        LinuxResources.Builder linux = LinuxResources.newBuilder();
        if (resources.cpuShares() != null || resources.cpuQuota() != null || resources.cpuPeriod() != null
                || resources.cpusetCpus() != null || resources.cpusetMems() != null) {
            LinuxCPU.Builder cpu = linux.getCPUBuilder();
            if (resources.cpuShares() != null) {
                cpu.setShares(resources.cpuShares());
            }
            if (resources.cpuQuota() != null) {
                cpu.setQuota(resources.cpuQuota());
            }
            if (resources.cpuPeriod() != null) {
                cpu.setPeriod(resources.cpuPeriod());
            }
            if (resources.cpusetCpus() != null) {
                cpu.setCpus(resources.cpusetCpus());
            }
            if (resources.cpusetMems() != null) {
                cpu.setMems(resources.cpusetMems());
            }
        }
        if (resources.memoryLimitBytes() != null || resources.memorySwapBytes() != null) {
            LinuxMemory.Builder memory = linux.getMemoryBuilder();
            if (resources.memoryLimitBytes() != null) {
                memory.setLimit(resources.memoryLimitBytes());
            }
            if (resources.memorySwapBytes() != null) {
                memory.setSwap(resources.memorySwapBytes());
            }
        }
        if (resources.pidsLimit() != null) {
            linux.setPids(LinuxPids.newBuilder().setLimit(resources.pidsLimit()));
        }
        return UpdateContainerRequest.newBuilder().setContainerId(containerId).setResources(linux).build();
    }

    static UpdateInterfaceRequest updateInterface(NetInterface netInterface) {
        Interface.Builder guest = Interface.newBuilder()
                .setDevice(netInterface.name())
                .setName(netInterface.name())
                .setHwAddr(netInterface.macAddress())
                .setMtu(netInterface.mtu());
        for (String cidr : netInterface.addresses()) {
            int slash = cidr.indexOf('/');
            if (slash < 0) {
                throw new IllegalArgumentException("address " + cidr + " of interface " + netInterface.name()
                        + " is not in CIDR form (address/prefix)");
            }
            String address = cidr.substring(0, slash);
            guest.addIPAddresses(IPAddress.newBuilder()
                    .setFamily(family(address)).setAddress(address).setMask(cidr.substring(slash + 1)));
        }
        return UpdateInterfaceRequest.newBuilder().setInterface(guest).build();
    }

    static UpdateRoutesRequest updateRoutes(List<io.vcj.vc.agent.Route> routes) {
        Routes.Builder guest = Routes.newBuilder();
        for (io.vcj.vc.agent.Route route : routes) {
            String destination = DEFAULT_ROUTE.equals(route.destination()) ? "" : route.destination();
            String gateway = route.gateway() == null ? "" : route.gateway();
            Route.Builder r = Route.newBuilder()
                    .setDest(destination)
                    .setGateway(gateway)
                    .setDevice(route.device())
                    .setScope(route.scope())
                    .setFamily(family(destination.isEmpty() ? gateway : destination));
            if (route.source() != null) {
                r.setSource(route.source());
            }
            guest.addRoutes(r);
        }
        return UpdateRoutesRequest.newBuilder().setRoutes(guest).build();
    }

    static AddARPNeighborsRequest addArpNeighbors(List<Neighbor> neighbors) {
        ARPNeighbors.Builder guest = ARPNeighbors.newBuilder();
        for (Neighbor neighbor : neighbors) {
            guest.addARPNeighbors(ARPNeighbor.newBuilder()
                    .setToIPAddress(IPAddress.newBuilder()
                            .setFamily(family(neighbor.ipAddress())).setAddress(neighbor.ipAddress()))
                    .setDevice(neighbor.device())
                    .setLladdr(neighbor.macAddress())
                    .setState(NEIGHBOR_PERMANENT));
        }
        return AddARPNeighborsRequest.newBuilder().setNeighbors(guest).build();
    }

    private static List<Storage> storages(List<io.vcj.vc.agent.Storage> storages) {
        return storages.stream().map(s -> Storage.newBuilder()
                .setDriver(s.driver())
                .setSource(s.source())
                .setFstype(s.fsType() == null ? "" : s.fsType())
                .addAllOptions(s.options())
                .setMountPoint(s.mountPoint())
                .build()).toList();
    }

    /** kata names a hot-plugged disk by its PCI path in {@code id}, as the kata runtime does for virtio-blk. */
    private static Device device(GuestDevice device) {
        return Device.newBuilder()
                .setId(device.guestAddress())
                .setType(device.type())
                .setContainerPath(device.containerPath())
                .build();
    }

    private static IPFamily family(String address) {
        return address.contains(":") ? IPFamily.v6 : IPFamily.v4;
    }
}
