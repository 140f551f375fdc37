package io.vcj.kata.guest.service;

import static io.vcj.kata.guest.service.Statuses.translating;

import com.google.protobuf.ByteString;
import com.google.protobuf.Empty;
import io.vcj.kata.guest.container.ContainerProcess;
import io.vcj.kata.guest.container.Sandbox;
import io.vcj.kata.guest.sys.GuestClock;
import io.vcj.kata.guest.sys.RandomPool;
import io.vcj.kata.guest.network.GuestNetwork;
import io.vcj.kata.guest.storage.ContainerDevices;
import io.vcj.kata.guest.storage.ContainerStorages;
import io.vcj.kata.guest.storage.StorageMounter;
import io.vcj.kata.proto.AddARPNeighborsRequest;
import io.vcj.kata.proto.AgentDetails;
import io.vcj.kata.proto.AgentServiceTtrpcService;
import io.vcj.kata.proto.CloseStdinRequest;
import io.vcj.kata.proto.CreateContainerRequest;
import io.vcj.kata.proto.CreateSandboxRequest;
import io.vcj.kata.proto.DestroySandboxRequest;
import io.vcj.kata.proto.ReseedRandomDevRequest;
import io.vcj.kata.proto.SetGuestDateTimeRequest;
import io.vcj.kata.proto.ExecProcessRequest;
import io.vcj.kata.proto.GetOOMEventRequest;
import io.vcj.kata.proto.GuestDetailsRequest;
import io.vcj.kata.proto.GuestDetailsResponse;
import io.vcj.kata.proto.OOMEvent;
import io.vcj.kata.proto.PauseContainerRequest;
import io.vcj.kata.proto.ReadStreamRequest;
import io.vcj.kata.proto.ReadStreamResponse;
import io.vcj.kata.proto.RemoveContainerRequest;
import io.vcj.kata.proto.ResumeContainerRequest;
import io.vcj.kata.proto.Routes;
import io.vcj.kata.proto.SignalProcessRequest;
import io.vcj.kata.proto.StartContainerRequest;
import io.vcj.kata.proto.StatsContainerRequest;
import io.vcj.kata.proto.StatsContainerResponse;
import io.vcj.kata.proto.Storage;
import io.vcj.kata.proto.TtyWinResizeRequest;
import io.vcj.kata.proto.UpdateContainerRequest;
import io.vcj.kata.proto.UpdateInterfaceRequest;
import io.vcj.kata.proto.UpdateRoutesRequest;
import io.vcj.kata.proto.WaitProcessRequest;
import io.vcj.kata.proto.WaitProcessResponse;
import io.vcj.kata.proto.WriteStreamRequest;
import io.vcj.kata.proto.WriteStreamResponse;
import io.vcj.kata.proto.types.Interface;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * {@code grpc.AgentService}: decodes each request into a call on the {@link Sandbox} (or the
 * guest's storage and network) and encodes the result. RPCs not overridden here answer
 * UNIMPLEMENTED.
 */
public final class AgentService extends AgentServiceTtrpcService {
    private static final Logger LOG = LogManager.getLogger(AgentService.class);
    private static final Empty EMPTY = Empty.getDefaultInstance();

    private final Sandbox sandbox;
    private final StorageMounter storages;
    private final ContainerStorages containerStorages;
    private final ContainerDevices devices;
    private final GuestNetwork network;

    public AgentService(Sandbox sandbox, StorageMounter storages, ContainerDevices devices, GuestNetwork network) {
        this.sandbox = sandbox;
        this.storages = storages;
        this.devices = devices;
        this.containerStorages = new ContainerStorages(storages);
        this.network = network;
    }

    @Override
    public Empty createSandbox(CreateSandboxRequest request) throws Exception {
        return translating(() -> {
            if (!request.getHostname().isEmpty()) {
                Files.writeString(Path.of("/proc/sys/kernel/hostname"), request.getHostname());
            }
            mountAll(request.getStoragesList());
            LOG.info("sandbox {} created", request.getSandboxId());
            return EMPTY;
        });
    }

    @Override
    public Empty setGuestDateTime(SetGuestDateTimeRequest request) throws Exception {
        return translating(() -> {
            GuestClock.set(request.getSec(), request.getUsec());
            LOG.info("clock set to {}.{}", request.getSec(), request.getUsec());
            return EMPTY;
        });
    }

    @Override
    public Empty reseedRandomDev(ReseedRandomDevRequest request) throws Exception {
        return translating(() -> {
            RandomPool.reseed(request.getData().toByteArray());
            return EMPTY;
        });
    }

    @Override
    public Empty destroySandbox(DestroySandboxRequest request) {
        // The agent stays up afterwards: the host quits the VM.
        sandbox.destroy();
        containerStorages.releaseAll();
        LOG.info("sandbox destroyed");
        return EMPTY;
    }

    @Override
    public Empty createContainer(CreateContainerRequest request) throws Exception {
        return translating(() -> {
            containerStorages.mount(request.getContainerId(), request.getStoragesList());
            try {
                sandbox.createContainer(request.getContainerId(),
                        devices.adapt(request.getOCI(), request.getDevicesList()));
            } catch (IOException | RuntimeException e) {
                containerStorages.release(request.getContainerId());
                throw e;
            }
            return EMPTY;
        });
    }

    @Override
    public Empty startContainer(StartContainerRequest request) throws Exception {
        return translating(() -> {
            sandbox.startContainer(request.getContainerId());
            return EMPTY;
        });
    }

    @Override
    public Empty removeContainer(RemoveContainerRequest request) throws Exception {
        return translating(() -> {
            sandbox.removeContainer(request.getContainerId());
            containerStorages.release(request.getContainerId());
            return EMPTY;
        });
    }

    @Override
    public Empty execProcess(ExecProcessRequest request) throws Exception {
        return translating(() -> {
            sandbox.execProcess(request.getContainerId(), request.getExecId(), request.getProcess());
            return EMPTY;
        });
    }

    @Override
    public Empty signalProcess(SignalProcessRequest request) throws Exception {
        return translating(() -> {
            sandbox.signalProcess(request.getContainerId(), request.getExecId(), request.getSignal());
            return EMPTY;
        });
    }

    @Override
    public WaitProcessResponse waitProcess(WaitProcessRequest request) throws Exception {
        return translating(() -> WaitProcessResponse.newBuilder()
                .setStatus(sandbox.waitProcess(request.getContainerId(), request.getExecId()))
                .build());
    }

    /** Empty data closes stdin, as the kata agent does. */
    @Override
    public WriteStreamResponse writeStdin(WriteStreamRequest request) throws Exception {
        return translating(() -> {
            ContainerProcess process = sandbox.process(request.getContainerId(), request.getExecId());
            if (request.getData().isEmpty()) {
                process.closeStdin();
            } else {
                process.writeStdin(request.getData().toByteArray());
            }
            return WriteStreamResponse.newBuilder().setLen(request.getData().size()).build();
        });
    }

    @Override
    public ReadStreamResponse readStdout(ReadStreamRequest request) throws Exception {
        return translating(() -> readResponse(
                sandbox.process(request.getContainerId(), request.getExecId()).readStdout(request.getLen())));
    }

    @Override
    public ReadStreamResponse readStderr(ReadStreamRequest request) throws Exception {
        return translating(() -> readResponse(
                sandbox.process(request.getContainerId(), request.getExecId()).readStderr(request.getLen())));
    }

    @Override
    public Empty closeStdin(CloseStdinRequest request) throws Exception {
        return translating(() -> {
            sandbox.process(request.getContainerId(), request.getExecId()).closeStdin();
            return EMPTY;
        });
    }

    @Override
    public Empty ttyWinResize(TtyWinResizeRequest request) throws Exception {
        return translating(() -> {
            sandbox.resizeTerminal(request.getContainerId(), request.getExecId(), request.getRow(), request.getColumn());
            return EMPTY;
        });
    }

    @Override
    public Empty pauseContainer(PauseContainerRequest request) throws Exception {
        return translating(() -> {
            sandbox.pauseContainer(request.getContainerId());
            return EMPTY;
        });
    }

    @Override
    public Empty resumeContainer(ResumeContainerRequest request) throws Exception {
        return translating(() -> {
            sandbox.resumeContainer(request.getContainerId());
            return EMPTY;
        });
    }

    @Override
    public Empty updateContainer(UpdateContainerRequest request) throws Exception {
        return translating(() -> {
            sandbox.updateContainer(request.getContainerId(), request.getResources());
            return EMPTY;
        });
    }

    /** Long-polled by the runtime: answers once the OOM killer has struck in a container. */
    @Override
    public OOMEvent getOOMEvent(GetOOMEventRequest request) throws Exception {
        return OOMEvent.newBuilder().setContainerId(sandbox.nextOomKill()).build();
    }

    @Override
    public StatsContainerResponse statsContainer(StatsContainerRequest request) throws Exception {
        return translating(() -> StatsContainerResponse.newBuilder()
                .setCgroupStats(CgroupStatsReader.read(sandbox.stats(request.getContainerId())))
                .build());
    }

    @Override
    public Interface updateInterface(UpdateInterfaceRequest request) throws Exception {
        return translating(() -> network.updateInterface(request.getInterface()));
    }

    @Override
    public Routes updateRoutes(UpdateRoutesRequest request) throws Exception {
        return translating(() -> Routes.newBuilder()
                .addAllRoutes(network.updateRoutes(request.getRoutes().getRoutesList()))
                .build());
    }

    @Override
    public Empty addARPNeighbors(AddARPNeighborsRequest request) throws Exception {
        return translating(() -> {
            network.addNeighbors(request.getNeighbors().getARPNeighborsList());
            return EMPTY;
        });
    }

    @Override
    public GuestDetailsResponse getGuestDetails(GuestDetailsRequest request) {
        return GuestDetailsResponse.newBuilder()
                .setAgentDetails(AgentDetails.newBuilder().setVersion(HealthService.AGENT_VERSION))
                .build();
    }

    private void mountAll(Iterable<Storage> list) throws IOException {
        for (Storage storage : list) {
            storages.mount(storage);
        }
    }

    /** End of stream is OK with empty data (see ReadStdout in agent.proto). */
    private static ReadStreamResponse readResponse(byte[] data) {
        return data == null ? ReadStreamResponse.getDefaultInstance()
                : ReadStreamResponse.newBuilder().setData(ByteString.copyFrom(data)).build();
    }
}
