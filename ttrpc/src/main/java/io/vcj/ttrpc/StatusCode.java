package io.vcj.ttrpc;

/** The gRPC status codes ttrpc carries in {@code google.rpc.Status.code}. */
public enum StatusCode {
    OK,
    CANCELLED,
    UNKNOWN,
    INVALID_ARGUMENT,
    DEADLINE_EXCEEDED,
    NOT_FOUND,
    ALREADY_EXISTS,
    PERMISSION_DENIED,
    RESOURCE_EXHAUSTED,
    FAILED_PRECONDITION,
    ABORTED,
    OUT_OF_RANGE,
    UNIMPLEMENTED,
    INTERNAL,
    UNAVAILABLE,
    DATA_LOSS,
    UNAUTHENTICATED;

    private static final StatusCode[] BY_NUMBER = values();

    /** The wire number; the enum is declared in wire order. */
    public int number() {
        return ordinal();
    }

    /** The code for a wire number; numbers this enum does not know read as {@link #UNKNOWN}, as in gRPC. */
    public static StatusCode forNumber(int number) {
        return number >= 0 && number < BY_NUMBER.length ? BY_NUMBER[number] : UNKNOWN;
    }
}
