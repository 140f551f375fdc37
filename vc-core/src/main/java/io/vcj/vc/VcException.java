package io.vcj.vc;

/**
 * A virtcontainers call was refused or failed. The subtype says why, so callers (the shim) can map
 * it to a protocol status code; the message names the sandbox, container or field concerned.
 */
public sealed class VcException extends RuntimeException
        permits VcException.NotFound, VcException.AlreadyExists, VcException.FailedPrecondition,
        VcException.InvalidArgument, VcException.Unavailable {

    private VcException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The sandbox, container or process does not exist. */
    public static final class NotFound extends VcException {
        public NotFound(String message) {
            super(message, null);
        }
    }

    /** A sandbox or container with that id already exists. */
    public static final class AlreadyExists extends VcException {
        public AlreadyExists(String message) {
            super(message, null);
        }
    }

    /** The call is not legal in the current state (e.g. deleting a running sandbox). */
    public static final class FailedPrecondition extends VcException {
        public FailedPrecondition(String message) {
            super(message, null);
        }
    }

    /** The request itself is wrong (bad id, missing kernel, insane OCI spec...). */
    public static final class InvalidArgument extends VcException {
        public InvalidArgument(String message) {
            super(message, null);
        }
    }

    /** The VM or the guest agent could not be reached or failed to do what was asked. */
    public static final class Unavailable extends VcException {
        public Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
