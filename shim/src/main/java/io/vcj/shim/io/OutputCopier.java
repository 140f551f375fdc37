package io.vcj.shim.io;

import io.vcj.vc.ProcessIo;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;

/**
 * Copies a process's stdout or stderr to where containerd reads it, until the process closes it.
 * When the sink breaks, the output is still read to its end so the process never blocks on it.
 */
final class OutputCopier {
    private static final Logger log = LogManager.getLogger(OutputCopier.class);
    private static final int BUFFER = 32 * 1024;

    private final String name;
    private final Function<ProcessIo, InputStream> stream;
    private final WritableByteChannel sink;
    private final CountDownLatch done = new CountDownLatch(1);

    /** Copies {@code stream} of the process (its stdout or stderr) to {@code sink}. */
    OutputCopier(String name, Function<ProcessIo, InputStream> stream, WritableByteChannel sink) {
        this.name = name;
        this.stream = stream;
        this.sink = sink;
    }

    void start(ProcessIo io) {
        Thread.ofPlatform().daemon().name("copy-" + name).start(() -> {
            try {
                copy(io);
            } finally {
                closeSink();
                done.countDown();
            }
        });
    }

    private void copy(ProcessIo io) {
        byte[] buffer = new byte[BUFFER];
        boolean sinkBroken = false;
        try {
            InputStream output = stream.apply(io);
            for (int n = output.read(buffer); n >= 0; n = output.read(buffer)) {
                if (!sinkBroken) {
                    sinkBroken = !write(ByteBuffer.wrap(buffer, 0, n));
                }
            }
        } catch (IOException | RuntimeException e) {
            log.warn("{}: reading the process output failed: {}", name, e.toString());
        }
    }

    private boolean write(ByteBuffer data) {
        try {
            while (data.hasRemaining()) {
                sink.write(data);
            }
            return true;
        } catch (IOException e) {
            log.warn("{}: output sink broke, discarding the rest: {}", name, e.toString());
            return false;
        }
    }

    /** Blocks until the output ended and everything read was handed to the sink. */
    void await() throws InterruptedException {
        done.await();
    }

    /** For a copier never started. */
    void closeSink() {
        try {
            sink.close();
        } catch (IOException e) {
            log.debug("{}: closing the sink: {}", name, e.toString());
        }
    }
}
