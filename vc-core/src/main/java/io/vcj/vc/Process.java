package io.vcj.vc;

import java.time.Instant;

/**
 * A process of a container.
 *
 * @param token     the exec id: the container id for its init process, the caller's exec id otherwise
 * @param pid       the host pid standing for the process (the VMM's, as guest pids mean nothing on the
 *                  host); 0 when unknown
 * @param startTime when it was started, null before
 */
public record Process(String token, long pid, Instant startTime) {
}
