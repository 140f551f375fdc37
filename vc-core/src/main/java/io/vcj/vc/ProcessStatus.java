package io.vcj.vc;

import java.time.Instant;

/**
 * A process of a container as last recorded: {@code RUNNING} until it exits, then {@code STOPPED}
 * with its exit status. A container's init process has the container's state.
 *
 * @param token the exec id (the container id for the init process)
 * @param pid   the host pid standing for it (the VMM's); 0 when unknown
 */
public record ProcessStatus(String token, State state, long pid, Instant startTime, ExitStatus exitStatus) {
}
