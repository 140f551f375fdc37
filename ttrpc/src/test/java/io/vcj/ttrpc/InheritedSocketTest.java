package io.vcj.ttrpc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.channel.epoll.Epoll;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.channel.unix.Socket;
import io.vcj.ttrpc.test.EchoOuterClass.EchoRequest;
import io.vcj.ttrpc.test.EchoTtrpcClient;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Serving a listening socket handed over as a file descriptor, as containerd does with a shim's fd 0. */
@Timeout(60)
class InheritedSocketTest {

    @TempDir
    Path dir;

    @Test
    void servesConnectionsOnAnInheritedListeningSocket() throws Exception {
        Epoll.ensureAvailability();
        Path path = dir.resolve("inherited.sock");
        Socket listening = Socket.newSocketDomain();
        listening.bind(new DomainSocketAddress(path.toString()));
        listening.listen(16);

        try (TtrpcServer server = new TtrpcServer().register(new EchoServer())) {
            server.listenOnFd(listening.intValue());
            for (int i = 0; i < 3; i++) {
                try (TtrpcClient client = TtrpcClient.connect(path)) {
                    assertEquals("via fd " + i, EchoTtrpcClient.of(client)
                            .echo(EchoRequest.newBuilder().setText("via fd " + i).build()).getText());
                }
            }
        }
    }
}
