package io.vcj.ttrpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.vcj.ttrpc.RawConnection.RawFrame;
import io.vcj.ttrpc.proto.Response;
import io.vcj.ttrpc.test.EchoOuterClass.EchoReply;
import io.vcj.ttrpc.test.EchoOuterClass.EchoRequest;
import io.vcj.ttrpc.test.EchoOuterClass.SleepRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** What the server answers to frames a well-behaved client never sends. */
@Timeout(60)
class ProtocolViolationTest {

    private static final String ECHO = "vcj.ttrpc.test.Echo";

    @TempDir
    Path dir;

    private TtrpcServer server;
    private Path socket;

    @BeforeEach
    void start() throws Exception {
        socket = dir.resolve("echo.sock");
        server = new TtrpcServer().register(new EchoServer());
        server.listen(socket);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static io.vcj.ttrpc.proto.Request echoRequest(String text) {
        return RawConnection.request(ECHO, "Echo", EchoRequest.newBuilder().setText(text).build().toByteString());
    }

    private static void assertEcho(RawFrame frame, int streamId, String text) throws Exception {
        assertEquals(streamId, frame.streamId());
        assertEquals(2, frame.type());
        Response response = frame.response();
        assertEquals(0, response.getStatus().getCode(), response.getStatus().getMessage());
        assertEquals(text, EchoReply.parseFrom(response.getPayload()).getText());
    }

    private static void assertStatus(RawFrame frame, int streamId, StatusCode code, String message) throws Exception {
        assertEquals(streamId, frame.streamId());
        assertEquals(2, frame.type());
        assertEquals(code.number(), frame.response().getStatus().getCode(), frame.response().getStatus().getMessage());
        assertTrue(frame.response().getStatus().getMessage().startsWith(message), frame.response().getStatus().getMessage());
    }

    @Test
    void oversizeFrameIsDiscardedAnsweredAndTheConnectionServesTheNextCall() throws Exception {
        try (RawConnection raw = new RawConnection(socket)) {
            int length = (4 << 20) + 1;
            raw.sendHeader(length, 1, 1, 0);
            raw.sendBytes(new byte[length]);
            assertStatus(raw.read(), 1, StatusCode.RESOURCE_EXHAUSTED,
                    "message length 4194305 exceed maximum message size of 4194304");
            raw.sendRequest(3, echoRequest("after oversize"));
            assertEcho(raw.read(), 3, "after oversize");
        }
    }

    @Test
    void garbageHeaderClosesOnlyThatConnection() throws Exception {
        try (RawConnection raw = new RawConnection(socket)) {
            raw.sendBytes("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertTrue(raw.closedByPeer());
        }
        try (RawConnection raw = new RawConnection(socket)) {
            raw.sendRequest(1, echoRequest("new connection"));
            assertEcho(raw.read(), 1, "new connection");
        }
    }

    @Test
    void evenStreamIdIsRejectedOnThatStream() throws Exception {
        try (RawConnection raw = new RawConnection(socket)) {
            raw.sendRequest(2, echoRequest("even"));
            assertStatus(raw.read(), 2, StatusCode.INVALID_ARGUMENT, "StreamID must be odd for client initiated streams");
            raw.sendRequest(5, echoRequest("odd"));
            assertEcho(raw.read(), 5, "odd");
        }
    }

    @Test
    void reusedOrDecreasingStreamIdIsRejected() throws Exception {
        try (RawConnection raw = new RawConnection(socket)) {
            raw.sendRequest(7, echoRequest("first"));
            assertEcho(raw.read(), 7, "first");
            raw.sendRequest(7, echoRequest("again"));
            assertStatus(raw.read(), 7, StatusCode.INVALID_ARGUMENT, "StreamID cannot be re-used and must increment");
            raw.sendRequest(3, echoRequest("lower"));
            assertStatus(raw.read(), 3, StatusCode.INVALID_ARGUMENT, "StreamID cannot be re-used and must increment");
            raw.sendRequest(9, echoRequest("higher"));
            assertEcho(raw.read(), 9, "higher");
        }
    }

    @Test
    void dataFrameForNoStreamIsRejected() throws Exception {
        try (RawConnection raw = new RawConnection(socket)) {
            raw.send(11, 3, 0, new byte[] {1, 2, 3});
            assertStatus(raw.read(), 11, StatusCode.INVALID_ARGUMENT, "StreamID is no longer active");
        }
    }

    @Test
    void unparseableRequestIsInvalidArgument() throws Exception {
        try (RawConnection raw = new RawConnection(socket)) {
            raw.send(1, 1, 0, new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff});
            assertStatus(raw.read(), 1, StatusCode.INVALID_ARGUMENT, "unmarshal request error");
        }
    }

    @Test
    void unparseablePayloadIsInternal() throws Exception {
        try (RawConnection raw = new RawConnection(socket)) {
            raw.sendRequest(1, RawConnection.request(ECHO, "Echo", ByteString.copyFrom(new byte[] {(byte) 0xff, 1})));
            assertStatus(raw.read(), 1, StatusCode.INTERNAL, "ttrpc: error unmarshalling payload");
        }
    }

    @Test
    void timeoutNanoFromTheWireIsApplied() throws Exception {
        try (RawConnection raw = new RawConnection(socket)) {
            raw.sendRequest(1, RawConnection.request(ECHO, "Sleep",
                    SleepRequest.newBuilder().setMillis(30_000).build().toByteString()).toBuilder()
                    .setTimeoutNano(50_000_000).build());
            assertStatus(raw.read(), 1, StatusCode.DEADLINE_EXCEEDED, "/vcj.ttrpc.test.Echo/Sleep: deadline exceeded");
        }
    }

    @Test
    void unknownFrameTypesAreIgnored() throws Exception {
        try (RawConnection raw = new RawConnection(socket)) {
            raw.send(1, 0x7f, 0, new byte[] {1, 2, 3});
            raw.send(3, 2, 0, new byte[0]);
            raw.sendRequest(5, echoRequest("still here"));
            assertEcho(raw.read(), 5, "still here");
        }
    }

    @Test
    void clientSeesAnOversizeReplyAsResourceExhausted() throws Exception {
        // A server sending an oversize frame: the client skips it and fails that call only.
        try (FakeServer fake = new FakeServer(dir.resolve("fake.sock"));
             TtrpcClient client = TtrpcClient.connect(fake.path())) {
            var reply = client.callAsync(new UnaryMethod<>(ECHO, "Echo", EchoReply.parser()),
                    EchoRequest.getDefaultInstance(), CallOptions.DEFAULT);
            RawConnection peer = fake.accept();
            RawFrame request = peer.read();
            int length = (4 << 20) + 10;
            peer.sendHeader(length, request.streamId(), 2, 0);
            peer.sendBytes(new byte[length]);
            Throwable e = assertThrows(ExecutionException.class, reply::get).getCause();
            assertEquals(StatusCode.RESOURCE_EXHAUSTED, ((TtrpcException) e).code());
            assertTrue(client.isOpen());
        }
    }
}
