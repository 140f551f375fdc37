package io.vcj.shim.task;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.Any;
import com.google.protobuf.Empty;
import io.vcj.shim.events.EventPublisher;
import io.vcj.shim.proto.task.CheckpointTaskRequest;
import io.vcj.shim.proto.task.CloseIORequest;
import io.vcj.shim.proto.task.ConnectRequest;
import io.vcj.shim.proto.task.ConnectResponse;
import io.vcj.shim.proto.task.CreateTaskRequest;
import io.vcj.shim.proto.task.CreateTaskResponse;
import io.vcj.shim.proto.task.DeleteRequest;
import io.vcj.shim.proto.task.DeleteResponse;
import io.vcj.shim.proto.task.ExecProcessRequest;
import io.vcj.shim.proto.task.KillRequest;
import io.vcj.shim.proto.task.PauseRequest;
import io.vcj.shim.proto.task.PidsRequest;
import io.vcj.shim.proto.task.PidsResponse;
import io.vcj.shim.proto.task.ResizePtyRequest;
import io.vcj.shim.proto.task.ResumeRequest;
import io.vcj.shim.proto.task.ShutdownRequest;
import io.vcj.shim.proto.task.StartRequest;
import io.vcj.shim.proto.task.StartResponse;
import io.vcj.shim.proto.task.StateRequest;
import io.vcj.shim.proto.task.StateResponse;
import io.vcj.shim.proto.task.StatsRequest;
import io.vcj.shim.proto.task.StatsResponse;
import io.vcj.shim.proto.task.TaskTtrpcService;
import io.vcj.shim.proto.task.UpdateTaskRequest;
import io.vcj.shim.proto.task.WaitRequest;
import io.vcj.shim.proto.task.WaitResponse;
import io.vcj.shim.proto.types.ProcessInfo;
import io.vcj.shim.proto.types.Status;
import io.vcj.ttrpc.StatusCode;
import io.vcj.ttrpc.TtrpcException;
import io.vcj.vc.ExitStatus;
import io.vcj.vc.VcException;
import io.vcj.vc.VirtContainers;
import io.vcj.vc.config.Mount;
import io.vcj.vc.config.OciSpecs;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.io.IOException;
import java.nio.file.Path;

/**
 * containerd's {@code containerd.task.v2.Task} service over virtcontainers: one VM per pod. This class
 * only translates between the protocol and {@link Tasks}; errors become ttrpc statuses (NOT_FOUND for
 * unknown tasks and execs, FAILED_PRECONDITION for calls out of order, UNIMPLEMENTED for what vcj
 * does not do).
 *
 * <p>Task pids are the VM's (its VMM process), as in Kata: guest pids mean nothing on the host.
 * Handlers block (Wait for the whole life of a process), so serve it on a server whose handler
 * threads may block.
 */
public final class VcjTaskService extends TaskTtrpcService {
    private static final Logger log = LogManager.getLogger(VcjTaskService.class);
    private static final String LINUX_RESOURCES = "types.containerd.io/opencontainers/runtime-spec/1/LinuxResources";
    private static final String OCI_PROCESS = "types.containerd.io/opencontainers/runtime-spec/1/Process";

    private final Tasks tasks;
    private final ObjectMapper json = new ObjectMapper();

    /**
     * @param vc        drives the pod's VM and containers
     * @param sandboxes makes the VM config when a pod's first container is created
     * @param events    where task events go (containerd's Events service)
     * @param shutdown  run once, from the Shutdown handler, when Shutdown comes while no task is left;
     *                  the shim should then exit (after letting the reply and queued events go out)
     */
    public VcjTaskService(VirtContainers vc, SandboxConfigFactory sandboxes, EventPublisher events, Runnable shutdown) {
        this.tasks = new Tasks(vc, sandboxes, new TaskEvents(events), shutdown);
    }

    @Override
    public CreateTaskResponse create(CreateTaskRequest request) {
        return call("create", request.getId(), () -> {
            if (!request.getCheckpoint().isEmpty()) {
                throw new UnsupportedOperationException("checkpoint is not supported by vcj");
            }
            Task task = tasks.create(new Tasks.CreateRequest(request.getId(), Path.of(request.getBundle()),
                    request.getRootfsList().stream().map(m -> new Mount(m.getSource(), m.getTarget(), m.getType(),
                            m.getOptionsList())).toList(),
                    request.getTerminal(), request.getStdin(), request.getStdout(), request.getStderr()));
            return CreateTaskResponse.newBuilder().setPid((int) task.init().pid()).build();
        });
    }

    @Override
    public StartResponse start(StartRequest request) {
        return call("start", request.getId(), () ->
                StartResponse.newBuilder().setPid((int) tasks.start(request.getId(), request.getExecId()).pid())
                        .build());
    }

    @Override
    public DeleteResponse delete(DeleteRequest request) {
        return call("delete", request.getId(), () -> {
            if (!request.getExecId().isEmpty()) {
                return response(tasks.deleteExec(request.getId(), request.getExecId()));
            }
            Task task = tasks.delete(request.getId());
            DeleteResponse response = response(task.init());
            try {
                DeletedTaskRecord.write(task.bundle(), response);
            } catch (IOException e) {
                log.warn("task {}: cannot keep its delete answer in its bundle, containerd's cleanup will do the"
                        + " work again: {}", task.id(), e.toString());
            }
            return response;
        });
    }

    private static DeleteResponse response(TaskProcess deleted) {
        ExitStatus exit = deleted.exitStatus();
        return DeleteResponse.newBuilder().setPid((int) deleted.pid()).setExitStatus(exit.code())
                .setExitedAt(TaskEvents.timestamp(exit.exitedAt())).build();
    }

    @Override
    public Empty exec(ExecProcessRequest request) {
        return call("exec", request.getId(), () -> {
            if (request.getExecId().isEmpty()) {
                throw new VcException.InvalidArgument("exec needs an exec id");
            }
            ObjectNode process = jsonAny(request.getSpec(), OCI_PROCESS);
            tasks.exec(new Tasks.ExecRequest(request.getId(), request.getExecId(), request.getTerminal(),
                    request.getStdin(), request.getStdout(), request.getStderr(), process));
            return Empty.getDefaultInstance();
        });
    }

    @Override
    public Empty resizePty(ResizePtyRequest request) {
        return call("resize pty", request.getId(), () -> {
            tasks.resizePty(request.getId(), request.getExecId(), request.getWidth(), request.getHeight());
            return Empty.getDefaultInstance();
        });
    }

    @Override
    public StateResponse state(StateRequest request) {
        return call("state", request.getId(), () -> {
            Task task = tasks.task(request.getId());
            TaskProcess process = task.process(request.getExecId());
            TaskProcess.Stdio stdio = process.stdio();
            var response = StateResponse.newBuilder()
                    .setId(process.isInit() ? task.id() : process.execId())
                    .setExecId(process.execId())
                    .setBundle(task.bundle().toString())
                    .setPid((int) process.pid())
                    .setStatus(status(task, process))
                    .setStdin(stdio.stdin()).setStdout(stdio.stdout()).setStderr(stdio.stderr())
                    .setTerminal(stdio.terminal());
            ExitStatus exit = process.exitStatus();
            if (exit != null) {
                response.setExitStatus(exit.code()).setExitedAt(TaskEvents.timestamp(exit.exitedAt()));
            }
            return response.build();
        });
    }

    private static Status status(Task task, TaskProcess process) {
        return switch (process.phase()) {
            case CREATED -> Status.CREATED;
            case RUNNING -> task.paused() ? Status.PAUSED : Status.RUNNING;
            case STOPPED -> Status.STOPPED;
        };
    }

    @Override
    public PidsResponse pids(PidsRequest request) {
        return call("pids", request.getId(), () -> PidsResponse.newBuilder()
                .addProcesses(ProcessInfo.newBuilder().setPid((int) tasks.task(request.getId()).init().pid()))
                .build());
    }

    @Override
    public Empty pause(PauseRequest request) {
        return call("pause", request.getId(), () -> {
            tasks.pause(request.getId());
            return Empty.getDefaultInstance();
        });
    }

    @Override
    public Empty resume(ResumeRequest request) {
        return call("resume", request.getId(), () -> {
            tasks.resume(request.getId());
            return Empty.getDefaultInstance();
        });
    }

    @Override
    public Empty checkpoint(CheckpointTaskRequest request) {
        throw new TtrpcException(StatusCode.UNIMPLEMENTED, "checkpoint is not supported by vcj");
    }

    @Override
    public Empty kill(KillRequest request) {
        return call("kill", request.getId(), () -> {
            tasks.kill(request.getId(), request.getExecId(), request.getSignal(), request.getAll());
            return Empty.getDefaultInstance();
        });
    }

    @Override
    public Empty closeIO(CloseIORequest request) {
        return call("close io", request.getId(), () -> {
            if (request.getStdin()) {
                tasks.closeStdin(request.getId(), request.getExecId());
            }
            return Empty.getDefaultInstance();
        });
    }

    @Override
    public Empty update(UpdateTaskRequest request) {
        return call("update", request.getId(), () -> {
            tasks.update(request.getId(), OciSpecs.resources(jsonAny(request.getResources(), LINUX_RESOURCES)));
            return Empty.getDefaultInstance();
        });
    }

    @Override
    public WaitResponse wait(WaitRequest request) {
        return call("wait", request.getId(), () -> {
            ExitStatus exit = tasks.await(request.getId(), request.getExecId());
            return WaitResponse.newBuilder().setExitStatus(exit.code())
                    .setExitedAt(TaskEvents.timestamp(exit.exitedAt())).build();
        });
    }

    @Override
    public StatsResponse stats(StatsRequest request) {
        return call("stats", request.getId(), () ->
                StatsResponse.newBuilder().setStats(CgroupV1Metrics.of(tasks.stats(request.getId()))).build());
    }

    /** Never fails, as in the runc shim: a task not (yet) known has task pid 0. */
    @Override
    public ConnectResponse connect(ConnectRequest request) {
        return ConnectResponse.newBuilder()
                .setShimPid((int) ProcessHandle.current().pid())
                .setTaskPid(tasks.find(request.getId()).map(task -> (int) task.init().pid()).orElse(0))
                .build();
    }

    @Override
    public Empty shutdown(ShutdownRequest request) {
        tasks.shutdownIfIdle();
        return Empty.getDefaultInstance();
    }

    // ---- mapping

    private ObjectNode jsonAny(Any any, String expectedType) throws IOException {
        if (!any.getTypeUrl().equals(expectedType)) {
            throw new VcException.InvalidArgument("expected " + expectedType + ", got '" + any.getTypeUrl() + "'");
        }
        if (!(json.readTree(any.getValue().toByteArray()) instanceof ObjectNode object)) {
            throw new VcException.InvalidArgument(expectedType + " is not a JSON object");
        }
        return object;
    }

    @FunctionalInterface
    private interface Call<T> {
        T run() throws Exception;
    }

    private static <T> T call(String what, String id, Call<T> call) {
        try {
            return call.run();
        } catch (TtrpcException e) {
            throw e;
        } catch (Exception e) {
            TtrpcException status = toStatus(e);
            if (status.code() == StatusCode.UNKNOWN || status.code() == StatusCode.UNAVAILABLE) {
                log.warn("{} {} failed", what, id, e);
            } else {
                log.debug("{} {}: {}", what, id, e.getMessage());
            }
            throw status;
        }
    }

    private static TtrpcException toStatus(Exception e) {
        StatusCode code = switch (e) {
            case VcException.NotFound notFound -> StatusCode.NOT_FOUND;
            case VcException.AlreadyExists exists -> StatusCode.ALREADY_EXISTS;
            case VcException.FailedPrecondition precondition -> StatusCode.FAILED_PRECONDITION;
            case VcException.InvalidArgument invalid -> StatusCode.INVALID_ARGUMENT;
            case VcException.Unavailable unavailable -> StatusCode.UNAVAILABLE;
            case UnsupportedOperationException unsupported -> StatusCode.UNIMPLEMENTED;
            case IllegalArgumentException invalid -> StatusCode.INVALID_ARGUMENT;
            case IllegalStateException state -> StatusCode.FAILED_PRECONDITION;
            case InterruptedException interrupted -> StatusCode.CANCELLED;
            case java.nio.file.NoSuchFileException missing -> StatusCode.NOT_FOUND;
            default -> StatusCode.UNKNOWN;
        };
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        return new TtrpcException(code, e.getMessage() == null ? e.toString() : e.getMessage(), e);
    }
}
