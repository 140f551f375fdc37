package io.vcj.ttrpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Empty;
import io.vcj.ttrpc.RawConnection.RawFrame;
import io.vcj.ttrpc.proto.Request;
import io.vcj.ttrpc.test.EchoOuterClass.EchoRequest;
import io.vcj.ttrpc.test.EchoTtrpcClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** What our client puts on the wire and how it behaves against a peer the test controls. */
@Timeout(60)
class ClientWireTest {

    @TempDir
    Path dir;

    @Test
    void requestsUseOddIncreasingStreamIdsAndCarryTimeoutAndMetadata() throws Exception {
        try (FakeServer fake = new FakeServer(dir.resolve("fake.sock"));
             TtrpcClient client = TtrpcClient.connect(fake.path())) {
            EchoTtrpcClient echo = EchoTtrpcClient.of(client, CallOptions.DEFAULT
                    .withTimeout(Duration.ofMinutes(5))
                    .withMetadata(Metadata.CONTAINERD_NAMESPACE, "default"));
            for (int i = 0; i < 3; i++) {
                echo.echoAsync(EchoRequest.newBuilder().setText("r" + i).build());
            }
            RawConnection peer = fake.accept();
            for (int i = 0; i < 3; i++) {
                RawFrame frame = peer.read();
                assertEquals(1 + 2 * i, frame.streamId());
                assertEquals(1, frame.type());
                assertEquals(0, frame.flags());
                Request request = Request.parseFrom(frame.data());
                assertEquals("vcj.ttrpc.test.Echo", request.getService());
                assertEquals("Echo", request.getMethod());
                assertEquals(Duration.ofMinutes(5).toNanos(), request.getTimeoutNano());
                assertEquals("default", Metadata.fromWire(request.getMetadataList()).get(Metadata.CONTAINERD_NAMESPACE));
                assertEquals("r" + i, EchoRequest.parseFrom(request.getPayload()).getText());
            }
        }
    }

    @Test
    void clientEnforcesTheTimeoutWhenTheServerNeverAnswers() throws Exception {
        try (FakeServer fake = new FakeServer(dir.resolve("silent.sock"));
             TtrpcClient client = TtrpcClient.connect(fake.path())) {
            CompletableFuture<Empty> call = EchoTtrpcClient.of(client, CallOptions.DEFAULT.withTimeout(Duration.ofMillis(100)))
                    .unservedAsync(Empty.getDefaultInstance());
            ExecutionException e = assertThrows(ExecutionException.class, () -> call.get(10, TimeUnit.SECONDS));
            assertEquals(StatusCode.DEADLINE_EXCEEDED, ((TtrpcException) e.getCause()).code());
            assertTrue(client.isOpen(), "a timeout ends the call, not the connection");
        }
    }

    @Test
    void connectingToNothingNamesThePath() {
        Path missing = dir.resolve("missing.sock");
        IOException e = assertThrows(IOException.class, () -> TtrpcClient.connect(missing));
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
    }

    @Test
    void listeningOnATakenPathNamesThePathAndServerCloseRemovesItsSocket() throws Exception {
        Path socket = dir.resolve("taken.sock");
        try (TtrpcServer first = new TtrpcServer(); TtrpcServer second = new TtrpcServer()) {
            first.listen(socket);
            IOException e = assertThrows(IOException.class, () -> second.listen(socket));
            assertTrue(e.getMessage().contains(socket.toString()), e.getMessage());
            first.close();
            assertFalse(Files.exists(socket));
        }
    }

    @Test
    void registeringTheSameServiceTwiceIsRefused() {
        try (TtrpcServer server = new TtrpcServer().register(new EchoServer())) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> server.register(new EchoServer()));
            assertTrue(e.getMessage().contains("vcj.ttrpc.test.Echo"), e.getMessage());
        }
    }
}
