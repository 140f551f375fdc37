package io.vcj.vc.hypervisor;

/** A hypervisor operation failed; the message names the operation and the cause. */
public class HypervisorException extends RuntimeException {
    public HypervisorException(String message) {
        super(message);
    }

    public HypervisorException(String message, Throwable cause) {
        super(message, cause);
    }
}
