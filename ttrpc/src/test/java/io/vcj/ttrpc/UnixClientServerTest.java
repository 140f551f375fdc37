package io.vcj.ttrpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.Empty;
import io.vcj.ttrpc.test.EchoOuterClass.EchoReply;
import io.vcj.ttrpc.test.EchoOuterClass.EchoRequest;
import io.vcj.ttrpc.test.EchoOuterClass.Envelope;
import io.vcj.ttrpc.test.EchoOuterClass.FailRequest;
import io.vcj.ttrpc.test.EchoOuterClass.Pair;
import io.vcj.ttrpc.test.EchoOuterClass.SleepRequest;
import io.vcj.ttrpc.test.EchoTtrpcClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Our client against our server over a real Unix socket, through the generated Echo stubs. */
@Timeout(60)
class UnixClientServerTest {

    @TempDir
    Path dir;

    private final EchoServer service = new EchoServer();
    private TtrpcServer server;
    private TtrpcClient client;
    private EchoTtrpcClient echo;

    @BeforeEach
    void start() throws Exception {
        server = new TtrpcServer().register(service);
        server.listen(dir.resolve("echo.sock"));
        client = TtrpcClient.connect(dir.resolve("echo.sock"));
        echo = EchoTtrpcClient.of(client);
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    private static EchoRequest text(String s) {
        return EchoRequest.newBuilder().setText(s).build();
    }

    private static SleepRequest sleepMillis(long millis) {
        return SleepRequest.newBuilder().setMillis(millis).build();
    }

    @Test
    void thousandCallsFromSixteenThreadsEachGetTheirOwnAnswer() throws Exception {
        try (ExecutorService pool = Executors.newFixedThreadPool(16)) {
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < 16; t++) {
                int thread = t;
                workers.add(pool.submit(() -> {
                    for (int i = thread; i < 1000; i += 16) {
                        String expected = "call " + i;
                        assertEquals(expected, echo.echo(text(expected)).getText());
                    }
                    return null;
                }));
            }
            for (Future<?> w : workers) {
                w.get();
            }
        }
    }

    @Test
    void asyncCallsCompleteWithTheirOwnReplies() throws Exception {
        List<CompletableFuture<EchoReply>> replies = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            replies.add(echo.echoAsync(text("async " + i)));
        }
        for (int i = 0; i < 100; i++) {
            assertEquals("async " + i, replies.get(i).get().getText());
        }
    }

    @Test
    void nestedTypesAndTheWaitMethodWork() {
        Envelope.Inner reply = echo.wait(Envelope.Inner.newBuilder().setText("exit").build());
        assertEquals("waited for exit", reply.getText());
    }

    @Test
    void metadataRoundTripsWithRepeatedKeysInOrder() {
        CallOptions options = CallOptions.DEFAULT
                .withMetadata(Metadata.CONTAINERD_NAMESPACE, "k8s.io")
                .withMetadata("multi", "one")
                .withMetadata("multi", "two");
        EchoReply reply = echo.withOptions(options).echo(text("md"));
        assertEquals(List.of(
                Pair.newBuilder().setKey(Metadata.CONTAINERD_NAMESPACE).setValue("k8s.io").build(),
                Pair.newBuilder().setKey("multi").setValue("one").build(),
                Pair.newBuilder().setKey("multi").setValue("two").build()), reply.getMetadataList());
    }

    @Test
    void serverAppliesTheTimeoutAndInterruptsTheHandler() throws Exception {
        // The client enforces the same timeout; either way the caller sees DEADLINE_EXCEEDED.
        TtrpcException e = assertThrows(TtrpcException.class,
                () -> echo.withOptions(CallOptions.DEFAULT.withTimeout(Duration.ofMillis(200))).sleep(sleepMillis(30_000)));
        assertEquals(StatusCode.DEADLINE_EXCEEDED, e.code());
        assertEquals("interrupted", service.sleepEndings.poll(10, TimeUnit.SECONDS));
    }

    @Test
    void callsWithinTheirTimeoutSucceed() {
        echo.withOptions(CallOptions.DEFAULT.withTimeout(Duration.ofSeconds(30))).sleep(sleepMillis(1));
    }

    @Test
    void cancelledCallCompletesAsCancelledAndTheConnectionGoesOn() throws Exception {
        CompletableFuture<Empty> sleeping = echo.sleepAsync(sleepMillis(200));
        assertTrue(sleeping.cancel(true));
        assertThrows(CancellationException.class, sleeping::get);
        assertEquals("after cancel", echo.echo(text("after cancel")).getText());
        // The abandoned call's late reply must not disturb later calls.
        assertEquals("completed", service.sleepEndings.poll(10, TimeUnit.SECONDS));
        assertEquals("still fine", echo.echo(text("still fine")).getText());
    }

    @Test
    void interruptedBlockingCallerGetsCancelled() throws Exception {
        Thread caller = Thread.currentThread();
        Thread interrupter = Thread.startVirtualThread(() -> {
            try {
                Thread.sleep(100);
            } catch (InterruptedException ignored) {
                return;
            }
            caller.interrupt();
        });
        TtrpcException e = assertThrows(TtrpcException.class, () -> echo.sleep(sleepMillis(30_000)));
        assertEquals(StatusCode.CANCELLED, e.code());
        assertTrue(Thread.interrupted(), "the interrupt flag stays set for the caller");
        interrupter.join();
    }

    @Test
    void losingTheConnectionFailsEveryPendingCall() {
        List<CompletableFuture<Empty>> pending = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            pending.add(echo.sleepAsync(sleepMillis(30_000)));
        }
        server.close();
        for (CompletableFuture<Empty> call : pending) {
            ExecutionException e = assertThrows(ExecutionException.class, () -> call.get(10, TimeUnit.SECONDS));
            assertEquals(StatusCode.UNAVAILABLE, ((TtrpcException) e.getCause()).code());
        }
        TtrpcException after = assertThrows(TtrpcException.class, () -> echo.echo(text("too late")));
        assertEquals(StatusCode.UNAVAILABLE, after.code());
    }

    @Test
    void closingTheClientFailsPendingCalls() {
        CompletableFuture<Empty> pending = echo.sleepAsync(sleepMillis(30_000));
        client.close();
        ExecutionException e = assertThrows(ExecutionException.class, () -> pending.get(10, TimeUnit.SECONDS));
        assertEquals(StatusCode.UNAVAILABLE, ((TtrpcException) e.getCause()).code());
    }

    @Test
    void oversizeRequestIsRefusedLocallyAndTheConnectionStaysUsable() {
        EchoRequest huge = EchoRequest.newBuilder().setBlob(ByteString.copyFrom(new byte[4 << 20])).build();
        TtrpcException e = assertThrows(TtrpcException.class, () -> echo.echo(huge));
        assertEquals(StatusCode.RESOURCE_EXHAUSTED, e.code());
        assertTrue(e.description().contains("exceed maximum message size of 4194304"), e.description());
        assertEquals("next", echo.echo(text("next")).getText());
    }

    @Test
    void largeMessagesJustUnderTheLimitGetThrough() {
        ByteString blob = ByteString.copyFrom(new byte[(4 << 20) - 100]);
        assertEquals(blob.size(), echo.echo(EchoRequest.newBuilder().setBlob(blob).build()).getBlob().size());
    }

    @Test
    void handlerStatusesReachTheCaller() {
        TtrpcException notFound = assertThrows(TtrpcException.class,
                () -> echo.fail(FailRequest.newBuilder().setCode(StatusCode.NOT_FOUND.number()).setMessage("no such task").build()));
        assertEquals(StatusCode.NOT_FOUND, notFound.code());
        assertEquals("no such task", notFound.description());

        TtrpcException plain = assertThrows(TtrpcException.class,
                () -> echo.fail(FailRequest.newBuilder().setMessage("boom").build()));
        assertEquals(StatusCode.UNKNOWN, plain.code());
        assertEquals("boom", plain.description());
    }

    @Test
    void unimplementedServiceMethodAndDefaultAnswerUnimplemented() {
        TtrpcException service = assertThrows(TtrpcException.class, () -> client.call(
                new UnaryMethod<>("no.such.Service", "Echo", Empty.parser()), Empty.getDefaultInstance(), CallOptions.DEFAULT));
        assertEquals(StatusCode.UNIMPLEMENTED, service.code());
        assertEquals("service no.such.Service", service.description());

        TtrpcException method = assertThrows(TtrpcException.class, () -> client.call(
                new UnaryMethod<>("vcj.ttrpc.test.Echo", "Nope", Empty.parser()), Empty.getDefaultInstance(), CallOptions.DEFAULT));
        assertEquals(StatusCode.UNIMPLEMENTED, method.code());
        assertEquals("method Nope", method.description());

        TtrpcException unserved = assertThrows(TtrpcException.class, () -> echo.unserved(Empty.getDefaultInstance()));
        assertEquals(StatusCode.UNIMPLEMENTED, unserved.code());
    }
}
