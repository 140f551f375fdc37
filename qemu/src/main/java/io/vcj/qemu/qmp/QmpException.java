package io.vcj.qemu.qmp;

/** A QMP command failed or the connection broke; the message carries QEMU's own description. */
public class QmpException extends RuntimeException {

    private final String errorClass;

    public QmpException(String command, String errorClass, String desc) {
        super(command + ": " + desc);
        this.errorClass = errorClass;
    }

    public QmpException(String message, Throwable cause) {
        super(message, cause);
        this.errorClass = null;
    }

    /** QMP's error class, e.g. {@code GenericError} or {@code CommandNotFound}; null for transport failures. */
    public String errorClass() {
        return errorClass;
    }
}
