package io.vcj.shim.io;

import java.net.URI;
import java.nio.file.Path;

/**
 * One stdio stream as containerd names it: empty for none, a FIFO path, or a {@code file://} URI.
 * {@code binary://} (a logging program fed through pipes on fds 3 and 4) is not supported.
 */
record StdioTarget(Kind kind, Path path) {

    enum Kind { NONE, FIFO, FILE }

    static final StdioTarget NONE = new StdioTarget(Kind.NONE, null);

    static StdioTarget parse(String name) {
        if (name == null || name.isEmpty()) {
            return NONE;
        }
        if (name.startsWith("file://")) {
            return new StdioTarget(Kind.FILE, Path.of(URI.create(name)));
        }
        if (name.startsWith("binary://")) {
            throw new UnsupportedOperationException("binary:// stdio is not supported by vcj: " + name);
        }
        if (name.contains("://")) {
            throw new IllegalArgumentException("unknown stdio scheme: " + name);
        }
        return new StdioTarget(Kind.FIFO, Path.of(name));
    }

    boolean isNone() {
        return kind == Kind.NONE;
    }
}
