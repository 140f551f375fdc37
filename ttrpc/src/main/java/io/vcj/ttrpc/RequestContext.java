package io.vcj.ttrpc;

import java.time.Instant;
import java.util.Optional;

/**
 * What a server handler knows about the call it is serving, available through {@link #current()}
 * on the handler's thread.
 */
public final class RequestContext {

    private static final ScopedValue<RequestContext> CURRENT = ScopedValue.newInstance();

    private final String service;
    private final String method;
    private final Metadata metadata;
    private final Instant deadline;

    RequestContext(String service, String method, Metadata metadata, Instant deadline) {
        this.service = service;
        this.method = method;
        this.metadata = metadata;
        this.deadline = deadline;
    }

    /** The context of the call the current thread is handling. */
    public static RequestContext current() {
        if (!CURRENT.isBound()) {
            throw new IllegalStateException("not inside a ttrpc handler");
        }
        return CURRENT.get();
    }

    static ScopedValue<RequestContext> scope() {
        return CURRENT;
    }

    public String service() {
        return service;
    }

    public String method() {
        return method;
    }

    public Metadata metadata() {
        return metadata;
    }

    /** When the client stops waiting (from {@code timeout_nano}); empty if it waits forever. */
    public Optional<Instant> deadline() {
        return Optional.ofNullable(deadline);
    }
}
