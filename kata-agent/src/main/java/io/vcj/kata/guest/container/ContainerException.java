package io.vcj.kata.guest.container;

/** A request the container layer refuses; {@link Reason} tells the protocol layer which status to answer. */
public final class ContainerException extends RuntimeException {
    public enum Reason { NOT_FOUND, ALREADY_EXISTS, FAILED_PRECONDITION, INVALID_ARGUMENT }

    private final Reason reason;

    public ContainerException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
