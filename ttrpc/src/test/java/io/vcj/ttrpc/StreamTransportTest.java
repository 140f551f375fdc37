package io.vcj.ttrpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vcj.ttrpc.test.EchoOuterClass.EchoRequest;
import io.vcj.ttrpc.test.EchoOuterClass.SleepRequest;
import io.vcj.ttrpc.test.EchoTtrpcClient;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Client and server over plain byte streams: two FIFOs read and written with
 * FileInputStream/FileOutputStream, the way the guest agent uses a virtio-serial port.
 */
@Timeout(60)
class StreamTransportTest {

    @TempDir
    Path dir;

    private final TtrpcServer server = new TtrpcServer().register(new EchoServer());
    private Endpoint endpoint;
    private TtrpcClient client;

    /** Opening a FIFO blocks until its other end opens, so the server side opens concurrently. */
    @BeforeEach
    void connectThroughFifos() throws Exception {
        Path toServer = dir.resolve("to-server");
        Path toClient = dir.resolve("to-client");
        for (Path fifo : List.of(toServer, toClient)) {
            assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        }
        CompletableFuture<Endpoint> serving = CompletableFuture.supplyAsync(() -> {
            try {
                return server.serve(new FileInputStream(toServer.toFile()), new FileOutputStream(toClient.toFile()), "fifo-server");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        FileOutputStream out = new FileOutputStream(toServer.toFile());
        FileInputStream in = new FileInputStream(toClient.toFile());
        client = TtrpcClient.over(in, out, "fifo-client");
        endpoint = serving.get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void close() {
        client.close();
        server.close();
    }

    @Test
    void concurrentCallsGetTheirOwnReplies() throws Exception {
        EchoTtrpcClient echo = EchoTtrpcClient.of(client);
        List<CompletableFuture<String>> replies = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            replies.add(echo.echoAsync(EchoRequest.newBuilder().setText("s" + i).build()).thenApply(r -> r.getText()));
        }
        for (int i = 0; i < 200; i++) {
            assertEquals("s" + i, replies.get(i).get());
        }
    }

    @Test
    void serverEndpointClosesWhenItsPeerGoesAway() throws Exception {
        client.close();
        endpoint.awaitClosed();
        assertFalse(endpoint.isOpen());
    }

    @Test
    void pendingCallsFailWhenTheServerGoesAway() {
        CompletableFuture<?> sleeping = EchoTtrpcClient.of(client).sleepAsync(SleepRequest.newBuilder().setMillis(30_000).build());
        server.close();
        ExecutionException e = assertThrows(ExecutionException.class, () -> sleeping.get(10, TimeUnit.SECONDS));
        assertEquals(StatusCode.UNAVAILABLE, ((TtrpcException) e.getCause()).code());
    }
}
