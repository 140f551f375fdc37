package io.vcj.ttrpc.frame;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;
import io.netty.buffer.ByteBuf;
import java.util.List;

/**
 * Writes a {@link Frame} as a header buffer followed by the frame's own data buffer, so the
 * payload is never copied (the transport gathers both in one write).
 */
@ChannelHandler.Sharable
public final class FrameEncoder extends MessageToMessageEncoder<Frame> {

    public static final FrameEncoder INSTANCE = new FrameEncoder();

    private FrameEncoder() {
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, Frame frame, List<Object> out) {
        int length = frame.data().readableBytes();
        if (length > Frame.MAX_DATA_LENGTH) {
            // Last line of defence; callers check first so they can report a proper status.
            throw new FrameTooLargeException(length);
        }
        ByteBuf header = ctx.alloc().ioBuffer(Frame.HEADER_LENGTH);
        header.writeInt(length).writeInt(frame.streamId()).writeByte(frame.type()).writeByte(frame.flags());
        out.add(header);
        out.add(frame.data().retain());
    }
}
