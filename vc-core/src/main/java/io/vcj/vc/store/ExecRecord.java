package io.vcj.vc.store;

import io.vcj.vc.ExitStatus;
import io.vcj.vc.config.Cmd;

import java.time.Instant;

/** A process entered into a container, as persisted. {@code exitStatus} is null while it runs. */
public record ExecRecord(String execId, Cmd cmd, Instant startTime, ExitStatus exitStatus) {

    public ExecRecord withExit(ExitStatus status) {
        return new ExecRecord(execId, cmd, startTime, status);
    }
}
