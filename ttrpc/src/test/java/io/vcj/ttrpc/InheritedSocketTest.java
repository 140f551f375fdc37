package io.vcj.ttrpc;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.epoll.Epoll;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.channel.unix.Socket;
import io.vcj.ttrpc.test.EchoOuterClass.EchoRequest;
import io.vcj.ttrpc.test.EchoTtrpcClient;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Serving a listening socket handed over as a file descriptor, as containerd does with a shim's fd 0. */
@Timeout(60)
class InheritedSocketTest {

    private static final int AF_UNIX = 1;
    private static final int SOCK_STREAM = 1;

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
            echoInSequence(path, 3);
        }
    }

    /**
     * A parent may hand over a blocking socket (socket(2) without SOCK_NONBLOCK): the server must
     * make it non-blocking, else Netty's accept loop parks in accept(2) and later clients hang.
     */
    @Test
    void servesClientsInSequenceOnAnInheritedBlockingSocket() throws Throwable {
        Epoll.ensureAvailability();
        Path path = dir.resolve("blocking.sock");
        Socket listening = new Socket(blockingUnixSocket());
        listening.bind(new DomainSocketAddress(path.toString()));
        listening.listen(16);

        try (TtrpcServer server = new TtrpcServer().register(new EchoServer())) {
            server.listenOnFd(listening.intValue());
            try {
                assertTimeoutPreemptively(Duration.ofSeconds(20), () -> echoInSequence(path, 4),
                        "clients after the first were not served on a blocking inherited socket");
            } catch (AssertionError e) {
                listening.shutdown(); // wakes an event loop parked in accept(2), so that close() returns
                throw e;
            }
        }
    }

    private static void echoInSequence(Path path, int clients) throws Exception {
        for (int i = 0; i < clients; i++) {
            try (TtrpcClient client = TtrpcClient.connect(path)) {
                assertEquals("via fd " + i, EchoTtrpcClient.of(client)
                        .echo(EchoRequest.newBuilder().setText("via fd " + i).build()).getText());
            }
        }
    }

    /** socket(AF_UNIX, SOCK_STREAM, 0): blocking, unlike every socket Netty makes. */
    private static int blockingUnixSocket() throws Throwable {
        Linker linker = Linker.nativeLinker();
        MethodHandle socket = linker.downcallHandle(linker.defaultLookup().find("socket").orElseThrow(),
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
        int fd = (int) socket.invokeExact(AF_UNIX, SOCK_STREAM, 0);
        assertTrue(fd >= 0, "socket(2) failed");
        return fd;
    }
}
