package io.vcj.ttrpc;

import com.google.protobuf.InvalidProtocolBufferException;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.vcj.ttrpc.frame.Frame;
import io.vcj.ttrpc.frame.OversizedFrame;
import io.vcj.ttrpc.proto.Request;
import io.vcj.ttrpc.proto.Response;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The server's end of one connection. On the event loop it checks each frame against the
 * protocol's stream rules, resolves the method and starts a {@link ServerCall}; protocol
 * violations are answered on the offending stream and the connection stays open. Only a frame
 * header that cannot be ttrpc closes the connection. Calls still running when the connection
 * goes away are interrupted.
 */
final class ServerConnection extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LogManager.getLogger(ServerConnection.class);

    private final ServiceRegistry services;
    private final ThreadFactory handlerThreads;
    private final Map<Integer, ServerCall> running = new ConcurrentHashMap<>();
    private FrameWriter writer;
    private long lastStreamId;

    ServerConnection(ServiceRegistry services, ThreadFactory handlerThreads) {
        this.services = services;
        this.handlerThreads = handlerThreads;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        writer = new FrameWriter(ctx.channel());
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof Frame frame) {
                onFrame(ctx, frame);
            } else if (msg instanceof OversizedFrame oversized) {
                answer(oversized.streamId(), new TtrpcException(StatusCode.RESOURCE_EXHAUSTED, oversized.message()));
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void onFrame(ChannelHandlerContext ctx, Frame frame) {
        switch (frame.type()) {
            case Frame.TYPE_REQUEST -> onRequest(ctx, frame);
            case Frame.TYPE_DATA -> answer(frame.streamId(), invalid(isEven(frame)
                    ? "StreamID must be odd for client initiated streams"
                    : "StreamID is no longer active"));
            default -> LOG.debug("ignoring {} from {}", frame, ctx.channel().remoteAddress());
        }
    }

    private void onRequest(ChannelHandlerContext ctx, Frame frame) {
        long streamId = frame.unsignedStreamId();
        if (isEven(frame)) {
            answer(frame.streamId(), invalid("StreamID must be odd for client initiated streams"));
            return;
        }
        if (streamId <= lastStreamId) {
            answer(frame.streamId(), invalid("StreamID cannot be re-used and must increment"));
            return;
        }
        lastStreamId = streamId;
        Request request;
        try {
            request = Request.parseFrom(frame.data().nioBuffer());
        } catch (InvalidProtocolBufferException e) {
            answer(frame.streamId(), invalid("unmarshal request error: " + e.getMessage()));
            return;
        }
        ServiceDefinition.Method method;
        try {
            method = services.resolve(request.getService(), request.getMethod());
        } catch (TtrpcException e) {
            answer(frame.streamId(), e);
            return;
        }
        ServerCall call = new ServerCall(this, frame.streamId(), request, method, ctx.channel().eventLoop(), handlerThreads);
        running.put(frame.streamId(), call);
        call.start();
    }

    private static boolean isEven(Frame frame) {
        return (frame.streamId() & 1) == 0;
    }

    private static TtrpcException invalid(String message) {
        return new TtrpcException(StatusCode.INVALID_ARGUMENT, message);
    }

    private void answer(int streamId, TtrpcException e) {
        send(streamId, Response.newBuilder().setStatus(e.toStatus()).build());
    }

    /** Sends the one Response a stream gets; replies too large to send become RESOURCE_EXHAUSTED. */
    void send(int streamId, Response response) {
        byte[] bytes = response.toByteArray();
        if (bytes.length > Frame.MAX_DATA_LENGTH) {
            bytes = Response.newBuilder().setStatus(new TtrpcException(StatusCode.RESOURCE_EXHAUSTED,
                    "message length " + bytes.length + " exceed maximum message size of " + Frame.MAX_DATA_LENGTH)
                    .toStatus()).build().toByteArray();
        }
        writer.send(Frame.response(streamId, Unpooled.wrappedBuffer(bytes)));
    }

    void finished(ServerCall call) {
        running.remove(call.streamId(), call);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.warn("closing ttrpc connection {}: {}", ctx.channel().remoteAddress(), cause.getMessage());
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        running.values().forEach(ServerCall::abandon);
        ctx.fireChannelInactive();
    }
}
