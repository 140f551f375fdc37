package io.vcj.ttrpc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.ByteString;
import io.vcj.ttrpc.proto.KeyValue;
import io.vcj.ttrpc.proto.Request;
import io.vcj.ttrpc.test.EchoOuterClass.EchoRequest;
import io.vcj.ttrpc.test.EchoTtrpcClient;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded random input must never take the server down: after each hostile connection a
 * well-behaved client still gets answers.
 */
@Timeout(120)
class ServerFuzzTest {

    private static final long SEED = 0x7177_7270_6366_757aL;
    private static final int CONNECTIONS = 60;
    private static final String[] SERVICES = {"vcj.ttrpc.test.Echo", "no.such.Service", ""};
    private static final String[] METHODS = {"Echo", "Sleep", "Fail", "Wait", "Unserved", "Nope", ""};

    @TempDir
    Path dir;

    @Test
    void serverSurvivesRandomBytesAndRandomFrames() throws Exception {
        Random random = new Random(SEED);
        Path socket = dir.resolve("fuzz.sock");
        try (TtrpcServer server = new TtrpcServer().register(new EchoServer())) {
            server.listen(socket);
            for (int i = 0; i < CONNECTIONS; i++) {
                try (RawConnection raw = new RawConnection(socket)) {
                    switch (i % 3) {
                        case 0 -> raw.sendBytes(randomBytes(random, 1 + random.nextInt(4096)));
                        case 1 -> sendRandomFrames(random, raw);
                        default -> sendRandomRequests(random, raw);
                    }
                } catch (IOException closedByServer) {
                    // the server may hang up on garbage mid-write; that is its right
                }
                try (TtrpcClient client = TtrpcClient.connect(socket)) {
                    assertEquals("alive " + i, EchoTtrpcClient.of(client)
                            .echo(EchoRequest.newBuilder().setText("alive " + i).build()).getText());
                }
            }
        }
    }

    private static byte[] randomBytes(Random random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    /** Well-formed headers (first byte zero) with random ids, types, flags and bodies. */
    private static void sendRandomFrames(Random random, RawConnection raw) throws IOException {
        for (int f = 0; f < 20; f++) {
            byte[] body = randomBytes(random, random.nextInt(512));
            raw.send(random.nextInt(), random.nextInt(5), random.nextInt(256), body);
        }
    }

    /** Parseable Requests with random names, payloads, timeouts and metadata. */
    private static void sendRandomRequests(Random random, RawConnection raw) throws IOException {
        int streamId = 1;
        for (int f = 0; f < 20; f++) {
            Request.Builder request = Request.newBuilder()
                    .setService(SERVICES[random.nextInt(SERVICES.length)])
                    .setMethod(METHODS[random.nextInt(METHODS.length)])
                    .setPayload(ByteString.copyFrom(randomBytes(random, random.nextInt(64))))
                    .setTimeoutNano(random.nextInt(3) == 0 ? random.nextLong() : 0);
            for (int m = random.nextInt(3); m > 0; m--) {
                request.addMetadata(KeyValue.newBuilder().setKey("k" + random.nextInt(3)).setValue("v"));
            }
            streamId += random.nextInt(4) == 0 ? -2 : 2;
            raw.sendRequest(streamId, request.build());
        }
    }
}
