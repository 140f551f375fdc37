package io.vcj.ttrpc;

import io.vcj.ttrpc.proto.Status;

/**
 * A failed ttrpc call: the status code and message the server answered with, or the local
 * reason the call could not complete (deadline, cancellation, lost connection, oversize message).
 * Server handlers throw it to answer with a specific code.
 */
public class TtrpcException extends RuntimeException {

    private final StatusCode code;
    private final String description;

    public TtrpcException(StatusCode code, String description) {
        this(code, description, null);
    }

    public TtrpcException(StatusCode code, String description, Throwable cause) {
        super(code + ": " + description, cause);
        if (code == StatusCode.OK) {
            throw new IllegalArgumentException("a failure cannot carry status OK");
        }
        this.code = code;
        this.description = description;
    }

    public static TtrpcException fromStatus(Status status) {
        return new TtrpcException(StatusCode.forNumber(status.getCode()), status.getMessage());
    }

    public StatusCode code() {
        return code;
    }

    /** The status message alone, as it travels on the wire. */
    public String description() {
        return description;
    }

    public Status toStatus() {
        return Status.newBuilder().setCode(code.number()).setMessage(description).build();
    }
}
