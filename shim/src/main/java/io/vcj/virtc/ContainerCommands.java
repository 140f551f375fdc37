package io.vcj.virtc;

import io.vcj.vc.ContainerStatus;
import io.vcj.vc.Process;
import io.vcj.vc.ProcessList;
import io.vcj.vc.ProcessListOptions;
import io.vcj.vc.VirtContainers;

import java.util.List;
import java.util.Map;

/**
 * {@code virtc container ...}: each names its container with --id and --sandbox-id. Without
 * --detach, start and exec show the process's output and exit with its code.
 */
final class ContainerCommands {

    private final VirtContainers vc;
    private final Output output;
    private final Attached attached;

    ContainerCommands(VirtContainers vc, Output output, Attached attached) {
        this.vc = vc;
        this.output = output;
        this.attached = attached;
    }

    int execute(CommandLine line) throws InterruptedException {
        String sandboxId = line.required(Option.SANDBOX_ID);
        String id = line.required(Option.ID);
        return switch (line.command()) {
            case CONTAINER_CREATE -> {
                vc.createContainer(sandboxId, ContainerConfigs.container(id, line));
                yield show(sandboxId, id);
            }
            case CONTAINER_START -> {
                vc.startContainer(sandboxId, id);
                yield line.has(Option.DETACH) ? show(sandboxId, id)
                        : attached.follow(sandboxId, id, "", line.has(Option.INTERACTIVE));
            }
            case CONTAINER_STOP -> {
                vc.stopContainer(sandboxId, id);
                yield show(sandboxId, id);
            }
            case CONTAINER_DELETE -> {
                vc.deleteContainer(sandboxId, id);
                output.show(Map.of("id", id, "deleted", true), () -> "container " + id + " deleted\n");
                yield 0;
            }
            case CONTAINER_EXEC -> exec(line, sandboxId, id);
            case CONTAINER_KILL -> {
                vc.killContainer(sandboxId, id, Signals.parse(line.value(Option.SIGNAL).orElse("TERM")),
                        line.has(Option.ALL));
                yield 0;
            }
            case CONTAINER_STATUS -> show(sandboxId, id);
            case CONTAINER_PS -> {
                ProcessList processes = vc.processListContainer(sandboxId, id,
                        new ProcessListOptions(ProcessListOptions.Format.TABLE));
                output.show(Map.of("pids", processes.pids()), processes::rendered);
                yield 0;
            }
            default -> throw new IllegalArgumentException("not a container command: " + line.command().words());
        };
    }

    /** An attached exec is forgotten once it exited; a detached one prints its exec id. */
    private int exec(CommandLine line, String sandboxId, String id) throws InterruptedException {
        Process process = vc.enterContainer(sandboxId, id, ContainerConfigs.cmd(line));
        if (line.has(Option.DETACH)) {
            output.show(Map.of("execId", process.token()), () -> process.token() + "\n");
            return 0;
        }
        int code = attached.follow(sandboxId, id, process.token(), line.has(Option.INTERACTIVE));
        vc.deleteProcess(sandboxId, id, process.token());
        return code;
    }

    private int show(String sandboxId, String id) {
        ContainerStatus status = vc.statusContainer(sandboxId, id);
        output.show(Views.container(status), () -> Views.containerTable(List.of(status)));
        return 0;
    }
}
