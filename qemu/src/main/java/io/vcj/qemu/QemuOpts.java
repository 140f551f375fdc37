package io.vcj.qemu;

/** QEMU's option syntax: {@code key=value,key=value}, a literal comma in a value doubled. */
final class QemuOpts {

    private QemuOpts() {
    }

    static String escape(Object value) {
        return String.valueOf(value).replace(",", ",,");
    }
}
