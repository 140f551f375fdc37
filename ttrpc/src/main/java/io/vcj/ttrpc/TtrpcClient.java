package io.vcj.ttrpc;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.vcj.ttrpc.frame.Frame;
import io.vcj.ttrpc.frame.FrameDecoder;
import io.vcj.ttrpc.frame.FrameEncoder;
import io.vcj.ttrpc.proto.Request;
import io.vcj.ttrpc.transport.StreamChannel;
import io.vcj.ttrpc.transport.UnixSockets;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A ttrpc client on one connection. Thread-safe: any number of threads may call concurrently;
 * calls are multiplexed on odd stream ids 1, 3, 5, ... in the order they are sent.
 *
 * <p>Failures surface as {@link TtrpcException}: the server's status, or DEADLINE_EXCEEDED when
 * the call's timeout passes, UNAVAILABLE when the connection is or gets closed,
 * RESOURCE_EXHAUSTED for a request over 4 MiB (refused before anything is sent), CANCELLED
 * when a blocking caller is interrupted. Async results complete on virtual threads, so
 * callbacks may block.
 */
public final class TtrpcClient implements AutoCloseable {

    private static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Executor CALLBACKS = Thread::startVirtualThread;
    private static final long MAX_STREAM_ID = 0xFFFF_FFFFL;

    private final Channel channel;
    private final ClientHandler handler;
    private final FrameWriter writer;
    private final ReentrantLock sendLock = new ReentrantLock();
    private long nextStreamId = 1;

    private TtrpcClient(Channel channel, ClientHandler handler) {
        this.channel = channel;
        this.handler = handler;
        this.writer = new FrameWriter(channel);
    }

    /** Connects to a ttrpc server listening on the Unix socket at {@code path}. */
    public static TtrpcClient connect(Path path) throws IOException {
        return connect(path, DEFAULT_CONNECT_TIMEOUT);
    }

    public static TtrpcClient connect(Path path, Duration connectTimeout) throws IOException {
        ClientHandler handler = new ClientHandler();
        return new TtrpcClient(UnixSockets.connect(path, connectTimeout, pipeline(handler)), handler);
    }

    /**
     * Talks to a server at the other end of a byte stream pair (e.g. a serial port or a socket
     * that needed a handshake first). Closing the client closes both streams.
     */
    public static TtrpcClient over(InputStream in, OutputStream out, String name) {
        ClientHandler handler = new ClientHandler();
        return new TtrpcClient(StreamChannel.open(in, out, name, pipeline(handler)), handler);
    }

    private static ChannelHandler pipeline(ClientHandler handler) {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast(new FrameDecoder(), FrameEncoder.INSTANCE, handler);
            }
        };
    }

    /** Calls {@code method} and waits for the reply. */
    public <Req extends MessageLite, Resp extends MessageLite> Resp call(
            UnaryMethod<Req, Resp> method, Req request, CallOptions options) {
        PendingCall call = start(method, request.toByteString(), options);
        try {
            return parse(method, call.get());
        } catch (InterruptedException e) {
            call.cancel(false);
            Thread.currentThread().interrupt();
            throw new TtrpcException(StatusCode.CANCELLED, method.fullName() + ": interrupted while waiting", e);
        } catch (ExecutionException e) {
            throw rethrown(e.getCause());
        }
    }

    /**
     * Starts {@code method}; the future completes on a virtual thread. Cancelling the future
     * abandons the call (ttrpc has no cancel frame for unary calls; a late reply is dropped).
     */
    public <Req extends MessageLite, Resp extends MessageLite> CompletableFuture<Resp> callAsync(
            UnaryMethod<Req, Resp> method, Req request, CallOptions options) {
        PendingCall call;
        try {
            call = start(method, request.toByteString(), options);
        } catch (TtrpcException e) {
            return CompletableFuture.failedFuture(e);
        }
        CompletableFuture<Resp> result = new CompletableFuture<>() {
            @Override
            public boolean cancel(boolean mayInterruptIfRunning) {
                call.cancel(mayInterruptIfRunning);
                return super.cancel(mayInterruptIfRunning);
            }
        };
        call.whenCompleteAsync((payload, failure) -> {
            if (failure != null) {
                result.completeExceptionally(failure);
                return;
            }
            try {
                result.complete(parse(method, payload));
            } catch (TtrpcException e) {
                result.completeExceptionally(e);
            }
        }, CALLBACKS);
        return result;
    }

    private PendingCall start(UnaryMethod<?, ?> method, ByteString payload, CallOptions options) {
        Request.Builder request = Request.newBuilder()
                .setService(method.service())
                .setMethod(method.method())
                .setPayload(payload)
                .addAllMetadata(options.metadata().toWire());
        if (options.timeout() != null) {
            request.setTimeoutNano(saturatedNanos(options.timeout()));
        }
        byte[] bytes = request.build().toByteArray();
        if (bytes.length > Frame.MAX_DATA_LENGTH) {
            throw new TtrpcException(StatusCode.RESOURCE_EXHAUSTED, method.fullName() + ": message length "
                    + bytes.length + " exceed maximum message size of " + Frame.MAX_DATA_LENGTH);
        }
        PendingCall call;
        // Stream ids must reach the wire in increasing order, so allocation and queueing are one step.
        sendLock.lock();
        try {
            if (nextStreamId > MAX_STREAM_ID) {
                throw new TtrpcException(StatusCode.UNAVAILABLE, "ttrpc: stream ids exhausted on this connection");
            }
            int streamId = (int) nextStreamId;
            nextStreamId += 2;
            call = handler.open(streamId);
            if (call.isDone()) {
                return call;
            }
            writer.send(Frame.request(streamId, Unpooled.wrappedBuffer(bytes)));
        } finally {
            sendLock.unlock();
        }
        if (options.timeout() != null) {
            try {
                call.deadline = channel.eventLoop().schedule(() -> handler.fail(call, new TtrpcException(
                        StatusCode.DEADLINE_EXCEEDED, method.fullName() + ": deadline exceeded after " + options.timeout())),
                        saturatedNanos(options.timeout()), TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException e) {
                // a stream connection's event loop ends with the connection
                handler.fail(call, new TtrpcException(StatusCode.UNAVAILABLE, "ttrpc: connection closed", e));
            }
            if (call.isDone()) {
                call.stopTimer();
            }
        }
        return call;
    }

    private static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    private static <Resp extends MessageLite> Resp parse(UnaryMethod<?, Resp> method, ByteString payload) {
        try {
            return method.responseParser().parseFrom(payload);
        } catch (InvalidProtocolBufferException e) {
            throw new TtrpcException(StatusCode.INTERNAL, method.fullName() + ": unparseable reply: " + e.getMessage(), e);
        }
    }

    private static RuntimeException rethrown(Throwable cause) {
        if (cause instanceof TtrpcException e) {
            // a fresh exception, so the caller's stack shows up alongside the event loop's
            return new TtrpcException(e.code(), e.description(), e);
        }
        if (cause instanceof CancellationException e) {
            return e;
        }
        return new TtrpcException(StatusCode.UNKNOWN, String.valueOf(cause), cause);
    }

    public boolean isOpen() {
        return channel.isOpen();
    }

    /** Completes when the connection is closed, by either side. */
    public CompletableFuture<Void> closed() {
        CompletableFuture<Void> closed = new CompletableFuture<>();
        channel.closeFuture().addListener(f -> closed.complete(null));
        return closed;
    }

    /** Closes the connection; pending calls fail with UNAVAILABLE. */
    @Override
    public void close() {
        if (channel.isOpen()) {
            channel.close().awaitUninterruptibly();
        }
    }

    @Override
    public String toString() {
        return "TtrpcClient[" + channel.remoteAddress() + "]";
    }
}
