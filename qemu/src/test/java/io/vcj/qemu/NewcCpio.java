package io.vcj.qemu;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Writes an initramfs: the kernel's "newc" cpio format, uncompressed. */
final class NewcCpio {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private int inode = 1;

    NewcCpio dir(String name) {
        return entry(name, 040755, new byte[0], 0, 0);
    }

    NewcCpio file(String name, int permissions, byte[] content) {
        return entry(name, 0100000 | permissions, content, 0, 0);
    }

    NewcCpio charDevice(String name, int major, int minor) {
        return entry(name, 020600, new byte[0], major, minor);
    }

    byte[] finish() {
        entry("TRAILER!!!", 0, new byte[0], 0, 0);
        return out.toByteArray();
    }

    private NewcCpio entry(String name, int mode, byte[] content, int rdevMajor, int rdevMinor) {
        byte[] nameBytes = (name + "\0").getBytes(StandardCharsets.US_ASCII);
        StringBuilder header = new StringBuilder("070701");
        for (long field : new long[] {inode++, mode, 0, 0, 1, 0, content.length, 0, 0, rdevMajor, rdevMinor, nameBytes.length, 0}) {
            header.append(String.format("%08x", field));
        }
        out.writeBytes(header.toString().getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(nameBytes);
        pad();
        out.writeBytes(content);
        pad();
        return this;
    }

    private void pad() {
        while (out.size() % 4 != 0) {
            out.write(0);
        }
    }
}
