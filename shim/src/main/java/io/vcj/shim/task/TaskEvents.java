package io.vcj.shim.task;

import com.google.protobuf.Timestamp;
import io.vcj.shim.events.EventPublisher;
import io.vcj.shim.proto.events.TaskCreate;
import io.vcj.shim.proto.events.TaskDelete;
import io.vcj.shim.proto.events.TaskExecAdded;
import io.vcj.shim.proto.events.TaskExecStarted;
import io.vcj.shim.proto.events.TaskExit;
import io.vcj.shim.proto.events.TaskIO;
import io.vcj.shim.proto.events.TaskOOM;
import io.vcj.shim.proto.events.TaskPaused;
import io.vcj.shim.proto.events.TaskResumed;
import io.vcj.shim.proto.events.TaskStart;
import io.vcj.shim.proto.types.Mount;
import io.vcj.vc.ExitStatus;

import java.time.Instant;
import java.util.List;

/** The task events containerd expects, under their topics. */
final class TaskEvents {
    private final EventPublisher publisher;

    TaskEvents(EventPublisher publisher) {
        this.publisher = publisher;
    }

    void created(Task task, List<io.vcj.vc.config.Mount> rootfs) {
        TaskProcess.Stdio stdio = task.init().stdio();
        publisher.publish("/tasks/create", TaskCreate.newBuilder()
                .setContainerId(task.id())
                .setBundle(task.bundle().toString())
                .addAllRootfs(rootfs.stream().map(TaskEvents::mount).toList())
                .setIo(TaskIO.newBuilder().setStdin(stdio.stdin()).setStdout(stdio.stdout())
                        .setStderr(stdio.stderr()).setTerminal(stdio.terminal()))
                .setPid((int) task.init().pid())
                .build());
    }

    void started(TaskProcess process) {
        if (process.isInit()) {
            publisher.publish("/tasks/start", TaskStart.newBuilder()
                    .setContainerId(process.containerId()).setPid((int) process.pid()).build());
        } else {
            publisher.publish("/tasks/exec-started", TaskExecStarted.newBuilder()
                    .setContainerId(process.containerId()).setExecId(process.execId())
                    .setPid((int) process.pid()).build());
        }
    }

    void execAdded(TaskProcess exec) {
        publisher.publish("/tasks/exec-added", TaskExecAdded.newBuilder()
                .setContainerId(exec.containerId()).setExecId(exec.execId()).build());
    }

    /** {@code id} is the exec id, or the container id for the init process, as containerd's runc shim sends. */
    void exited(TaskProcess process, ExitStatus status) {
        publisher.publish("/tasks/exit", TaskExit.newBuilder()
                .setContainerId(process.containerId())
                .setId(process.isInit() ? process.containerId() : process.execId())
                .setPid((int) process.pid())
                .setExitStatus(status.code())
                .setExitedAt(timestamp(status.exitedAt()))
                .build());
    }

    void deleted(TaskProcess init, ExitStatus status) {
        publisher.publish("/tasks/delete", TaskDelete.newBuilder()
                .setContainerId(init.containerId())
                .setId(init.containerId())
                .setPid((int) init.pid())
                .setExitStatus(status.code())
                .setExitedAt(timestamp(status.exitedAt()))
                .build());
    }

    void paused(Task task) {
        publisher.publish("/tasks/paused", TaskPaused.newBuilder().setContainerId(task.id()).build());
    }

    void resumed(Task task) {
        publisher.publish("/tasks/resumed", TaskResumed.newBuilder().setContainerId(task.id()).build());
    }

    void oomKilled(String containerId) {
        publisher.publish("/tasks/oom", TaskOOM.newBuilder().setContainerId(containerId).build());
    }

    private static Mount mount(io.vcj.vc.config.Mount mount) {
        return Mount.newBuilder().setType(mount.type()).setSource(mount.source() == null ? "" : mount.source())
                .addAllOptions(mount.options()).build();
    }

    static Timestamp timestamp(Instant instant) {
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
    }
}
