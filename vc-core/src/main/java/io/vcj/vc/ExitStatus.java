package io.vcj.vc;

import java.time.Instant;

/** How and when a process ended. */
public record ExitStatus(int code, Instant exitedAt) {

    /**
     * Reported for processes that could not be reaped because their VM died under them: they are
     * gone, but nobody saw their real status.
     */
    public static final int VM_DIED = 255;

    public ExitStatus {
        if (exitedAt == null) {
            throw new IllegalArgumentException("exitedAt is required");
        }
    }

    public static ExitStatus vmDied() {
        return new ExitStatus(VM_DIED, Instant.now());
    }
}
