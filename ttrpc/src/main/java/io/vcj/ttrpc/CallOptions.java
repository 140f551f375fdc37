package io.vcj.ttrpc;

import java.time.Duration;
import java.util.Objects;

/**
 * Per-call settings: an optional timeout (sent to the server as {@code timeout_nano} and enforced
 * by the client too) and the metadata to send.
 */
public record CallOptions(Duration timeout, Metadata metadata) {

    public static final CallOptions DEFAULT = new CallOptions(null, Metadata.EMPTY);

    public CallOptions {
        Objects.requireNonNull(metadata, "metadata");
        if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
            throw new IllegalArgumentException("timeout must be positive, got " + timeout);
        }
    }

    /** Null timeout means the call waits as long as the connection lives. */
    public CallOptions withTimeout(Duration timeout) {
        return new CallOptions(timeout, metadata);
    }

    public CallOptions withMetadata(Metadata metadata) {
        return new CallOptions(timeout, metadata);
    }

    /** Adds one metadata value, keeping the others. */
    public CallOptions withMetadata(String key, String value) {
        return new CallOptions(timeout, metadata.with(key, value));
    }
}
