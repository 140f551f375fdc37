package io.vcj.netns;

/** A command or system call that sets up or tears down a pod's network failed. */
public final class NetnsException extends RuntimeException {
    public NetnsException(String message) {
        super(message);
    }

    public NetnsException(String message, Throwable cause) {
        super(message, cause);
    }
}
