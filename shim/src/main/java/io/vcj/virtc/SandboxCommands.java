package io.vcj.virtc;

import io.vcj.vc.SandboxStatus;
import io.vcj.vc.VCSandbox;
import io.vcj.vc.VirtContainers;
import io.vcj.vc.config.SandboxConfig;

import java.util.List;
import java.util.Map;

/** {@code virtc sandbox ...}: each prints the sandbox as it is afterwards, or what it was asked for. */
final class SandboxCommands {

    private final VirtContainers vc;
    private final Settings settings;
    private final Output output;
    private final Attached attached;

    SandboxCommands(VirtContainers vc, Settings settings, Output output, Attached attached) {
        this.vc = vc;
        this.settings = settings;
        this.output = output;
        this.attached = attached;
    }

    int execute(CommandLine line) throws InterruptedException {
        return switch (line.command()) {
            case SANDBOX_RUN -> run(line);
            case SANDBOX_CREATE -> show(vc.createSandbox(SandboxConfigs.sandbox(line, settings)));
            case SANDBOX_START -> show(vc.startSandbox(line.required(Option.ID)));
            case SANDBOX_STOP -> show(vc.stopSandbox(line.required(Option.ID)));
            case SANDBOX_PAUSE -> show(vc.pauseSandbox(line.required(Option.ID)));
            case SANDBOX_RESUME -> show(vc.resumeSandbox(line.required(Option.ID)));
            case SANDBOX_STATUS -> show(vc.sandbox(line.required(Option.ID)));
            case SANDBOX_DELETE -> delete(line.required(Option.ID));
            case SANDBOX_LIST -> list();
            default -> throw new IllegalArgumentException("not a sandbox command: " + line.command().words());
        };
    }

    /** With a container and no --detach, its output is all virtc prints, and its exit code is virtc's. */
    private int run(CommandLine line) throws InterruptedException {
        SandboxConfig config = SandboxConfigs.sandbox(line, settings);
        VCSandbox sandbox = vc.runSandbox(config);
        if (config.containers().isEmpty() || line.has(Option.DETACH)) {
            return show(sandbox);
        }
        return attached.follow(config.id(), config.containers().getFirst().id(), "", line.has(Option.INTERACTIVE));
    }

    private int delete(String sandboxId) {
        vc.deleteSandbox(sandboxId);
        output.show(Map.of("id", sandboxId, "deleted", true), () -> "sandbox " + sandboxId + " deleted\n");
        return 0;
    }

    private int list() {
        List<SandboxStatus> sandboxes = vc.listSandbox();
        output.show(sandboxes.stream().map(Views::sandbox).toList(), () -> Views.sandboxTable(sandboxes));
        return 0;
    }

    private int show(VCSandbox sandbox) {
        SandboxStatus status = sandbox.status();
        output.show(Views.sandbox(status), () -> Views.sandboxText(status));
        return 0;
    }
}
