package io.vcj.kata.guest.runc;

/** A runc command failed; the message carries runc's own error output. */
public final class RuncException extends RuntimeException {
    public RuncException(String message) {
        super(message);
    }

    /** runc's wording when the id is unknown to it, e.g. after a foreground {@code run} ended. */
    public boolean isNotFound() {
        String m = getMessage();
        return m != null && (m.contains("does not exist") || m.contains("not found"));
    }
}
