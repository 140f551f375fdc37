package io.vcj.shim;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * The Unix socket a shim serves on, where containerd's runc shim puts it:
 * {@code /run/containerd/s/<sha256(containerd address/namespace/group)>}, so every container of
 * one group (a pod) finds the same shim.
 */
record ShimSocket(Path path) {

    static final Path DIRECTORY = Path.of("/run/containerd/s");
    /** sun_path holds 108 bytes with its NUL; containerd's own limit is 106. */
    private static final int MAX_PATH_BYTES = 106;
    private static final int BACKLOG = 128;

    static ShimSocket of(String containerdAddress, String namespace, String group) {
        return new ShimSocket(DIRECTORY.resolve(sha256Hex(containerdAddress + "/" + namespace + "/" + group)));
    }

    /** From an {@code address} file's content: {@code unix:///run/containerd/s/…}. */
    static ShimSocket fromAddress(String address) {
        return new ShimSocket(Path.of(address.strip().replaceFirst("^unix://", "")));
    }

    String address() {
        return "unix://" + path;
    }

    /** True if a shim is serving here: something accepts a connection. */
    boolean isServed() {
        try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            probe.connect(UnixDomainSocketAddress.of(path));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Binds and listens (mode 0600) and returns the descriptor, close-on-exec and non-blocking
     * (the server's event loop accepts until EAGAIN; a blocking socket would hang it). Fails with errno
     * EADDRINUSE if the path exists, e.g. because another {@code start} of the same group won. The
     * directory must exist ({@link DirectoryLock#acquire} makes it).
     */
    int listen() throws IOException {
        byte[] bytes = path.toString().getBytes(StandardCharsets.UTF_8);
        if (bytes.length > MAX_PATH_BYTES) {
            throw new IOException("socket path " + path + " is longer than " + MAX_PATH_BYTES + " bytes");
        }
        int fd = Libc.socket(Libc.AF_UNIX, Libc.SOCK_STREAM | Libc.SOCK_NONBLOCK | Libc.SOCK_CLOEXEC);
        boolean bound = false;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment address = arena.allocate(2 + bytes.length + 1);
            address.set(JAVA_SHORT, 0, (short) Libc.AF_UNIX);
            MemorySegment.copy(bytes, 0, address, JAVA_BYTE, 2, bytes.length);
            Libc.bind(fd, address, (int) address.byteSize(), path.toString());
            bound = true;
            // Before listen(): nobody can connect while the socket is still open to all.
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
            Libc.listen(fd, BACKLOG);
            return fd;
        } catch (IOException | RuntimeException e) {
            Libc.close(fd);
            if (bound) {
                Files.deleteIfExists(path);
            }
            throw e;
        }
    }

    private static String sha256Hex(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-256", e);
        }
    }
}
