package io.vcj.ttrpc.bench;

import io.vcj.ttrpc.TtrpcClient;
import io.vcj.ttrpc.TtrpcServer;
import io.vcj.ttrpc.test.EchoOuterClass.EchoReply;
import io.vcj.ttrpc.test.EchoOuterClass.EchoRequest;
import io.vcj.ttrpc.test.EchoTtrpcClient;
import io.vcj.ttrpc.test.EchoTtrpcService;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * Unary round trips over a Unix socket, client and server in one JVM (run by ttrpc/bench.sh):
 * throughput with concurrent callers on one connection, then latency percentiles with one caller.
 */
public final class UnaryBenchmark {

    private static final int CALLERS = Integer.getInteger("callers", 16);
    private static final long THROUGHPUT_SECONDS = Long.getLong("seconds", 10);
    private static final int LATENCY_SAMPLES = Integer.getInteger("samples", 50_000);

    static final class Echo extends EchoTtrpcService {
        @Override
        public EchoReply echo(EchoRequest request) {
            return EchoReply.newBuilder().setText(request.getText()).build();
        }
    }

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("ttrpc-bench");
        Path socket = dir.resolve("bench.sock");
        try (TtrpcServer server = new TtrpcServer().register(new Echo())) {
            server.listen(socket);
            try (TtrpcClient client = TtrpcClient.connect(socket)) {
                EchoTtrpcClient echo = EchoTtrpcClient.of(client);
                EchoRequest request = EchoRequest.newBuilder().setText("ping").build();

                throughput(echo, request, 5);
                long cpuBefore = processCpuNanos();
                long callsBefore = completed.sum();
                double perSecond = throughput(echo, request, THROUGHPUT_SECONDS);
                double cpuMicrosPerCall = (processCpuNanos() - cpuBefore) / 1000.0 / (completed.sum() - callsBefore);
                // CPU per call does not depend on what else the machine runs; cores / it bounds throughput.
                System.out.printf("throughput: %d callers, one connection: %.0f calls/s; %.1f us CPU per call"
                        + " (client+server), i.e. at most %.0f calls/s on %d idle cores%n", CALLERS, perSecond,
                        cpuMicrosPerCall, Runtime.getRuntime().availableProcessors() * 1e6 / cpuMicrosPerCall,
                        Runtime.getRuntime().availableProcessors());

                latency(echo, request, LATENCY_SAMPLES / 2);
                long[] nanos = latency(echo, request, LATENCY_SAMPLES);
                System.out.printf("latency: one caller, %d calls: p50 %.1f us, p99 %.1f us, p99.9 %.1f us%n",
                        nanos.length, micros(nanos, 0.50), micros(nanos, 0.99), micros(nanos, 0.999));
            }
        } finally {
            Files.deleteIfExists(socket);
            Files.deleteIfExists(dir);
        }
    }

    private static final LongAdder completed = new LongAdder();

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static double throughput(EchoTtrpcClient echo, EchoRequest request, long seconds) throws Exception {
        LongAdder calls = completed;
        long before = calls.sum();
        AtomicBoolean running = new AtomicBoolean(true);
        CountDownLatch done = new CountDownLatch(CALLERS);
        for (int i = 0; i < CALLERS; i++) {
            Thread.ofPlatform().daemon().start(() -> {
                while (running.get()) {
                    echo.echo(request);
                    calls.increment();
                }
                done.countDown();
            });
        }
        long start = System.nanoTime();
        Thread.sleep(seconds * 1000);
        running.set(false);
        done.await();
        return (calls.sum() - before) * 1e9 / (System.nanoTime() - start);
    }

    private static long[] latency(EchoTtrpcClient echo, EchoRequest request, int samples) {
        long[] nanos = new long[samples];
        for (int i = 0; i < samples; i++) {
            long t0 = System.nanoTime();
            echo.echo(request);
            nanos[i] = System.nanoTime() - t0;
        }
        Arrays.sort(nanos);
        return nanos;
    }

    private static double micros(long[] sorted, double quantile) {
        return sorted[(int) Math.min(sorted.length - 1, Math.round(quantile * sorted.length))] / 1000.0;
    }
}
