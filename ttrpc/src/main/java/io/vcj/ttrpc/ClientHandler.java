package io.vcj.ttrpc;

import com.google.protobuf.InvalidProtocolBufferException;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.vcj.ttrpc.frame.Frame;
import io.vcj.ttrpc.frame.OversizedFrame;
import io.vcj.ttrpc.proto.Response;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The client's end of one connection: matches Response frames to pending calls by stream id,
 * and fails every pending call once the connection is gone.
 */
final class ClientHandler extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LogManager.getLogger(ClientHandler.class);

    private final Map<Integer, PendingCall> pending = new ConcurrentHashMap<>();
    private volatile TtrpcException closedReason;

    /** Registers a call; fails it at once if the connection is already gone. */
    PendingCall open(int streamId) {
        PendingCall call = new PendingCall(this, streamId);
        pending.put(streamId, call);
        TtrpcException closed = closedReason;
        if (closed != null && pending.remove(streamId, call)) {
            call.fail(closed);
        }
        return call;
    }

    /** Fails one call with {@code e}, unless it already completed. */
    void fail(PendingCall call, TtrpcException e) {
        if (pending.remove(call.streamId, call)) {
            call.stopTimer();
            call.fail(e);
        }
    }

    void forget(PendingCall call) {
        pending.remove(call.streamId, call);
        call.stopTimer();
    }

    TtrpcException closedReason() {
        return closedReason;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof Frame frame) {
                onFrame(frame);
            } else if (msg instanceof OversizedFrame oversized) {
                PendingCall call = pending.get(oversized.streamId());
                if (call != null) {
                    fail(call, new TtrpcException(StatusCode.RESOURCE_EXHAUSTED, oversized.message()));
                }
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void onFrame(Frame frame) {
        if (frame.type() != Frame.TYPE_RESPONSE) {
            LOG.debug("ignoring {} on a client connection", frame);
            return;
        }
        PendingCall call = pending.remove(frame.streamId());
        if (call == null) {
            // the call timed out or was cancelled; its late answer has nowhere to go
            LOG.debug("dropping response for finished stream {}", frame.unsignedStreamId());
            return;
        }
        call.stopTimer();
        Response response;
        try {
            response = Response.parseFrom(frame.data().nioBuffer());
        } catch (InvalidProtocolBufferException e) {
            call.fail(new TtrpcException(StatusCode.INTERNAL, "ttrpc: unparseable response: " + e.getMessage()));
            return;
        }
        if (response.hasStatus() && response.getStatus().getCode() != StatusCode.OK.number()) {
            call.fail(TtrpcException.fromStatus(response.getStatus()));
        } else {
            call.complete(response.getPayload());
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.warn("ttrpc client connection {} failed, closing it: {}", ctx.channel().remoteAddress(), cause.toString());
        closedReason = new TtrpcException(StatusCode.UNAVAILABLE, "ttrpc: connection failed: " + cause.getMessage(), cause);
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (closedReason == null) {
            closedReason = new TtrpcException(StatusCode.UNAVAILABLE, "ttrpc: connection closed");
        }
        for (PendingCall call : pending.values()) {
            fail(call, closedReason);
        }
        ctx.fireChannelInactive();
    }
}
