package io.vcj.ttrpc;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A listening Unix socket whose connections the test drives by hand (or ignores). */
final class FakeServer implements AutoCloseable {

    private final Path path;
    private final ServerSocketChannel listener;
    private final List<RawConnection> accepted = new ArrayList<>();

    FakeServer(Path path) throws IOException {
        this.path = path;
        listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        listener.bind(UnixDomainSocketAddress.of(path));
    }

    Path path() {
        return path;
    }

    RawConnection accept() throws IOException {
        RawConnection c = new RawConnection(listener.accept());
        accepted.add(c);
        return c;
    }

    @Override
    public void close() throws IOException {
        for (RawConnection c : accepted) {
            c.close();
        }
        listener.close();
        Files.deleteIfExists(path);
    }
}
