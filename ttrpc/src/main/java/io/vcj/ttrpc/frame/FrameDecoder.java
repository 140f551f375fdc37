package io.vcj.ttrpc.frame;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.CorruptedFrameException;
import java.util.List;

/**
 * Splits the inbound byte stream into {@link Frame}s.
 *
 * <p>A declared length above the 4 MiB limit is not fatal (Go ttrpc discards exactly that many
 * bytes and answers the stream): the data is skipped as it arrives, without buffering it, and an
 * {@link OversizedFrame} is passed on. Since every legal length is below 16 MiB, the header's
 * first byte is always zero; a non-zero first byte means the peer does not speak ttrpc at all
 * (or the stream lost sync), and following its "length" could mean swallowing gigabytes, so that
 * is raised as a {@link CorruptedFrameException} for the connection handler to close on.
 * Unknown types and flags pass through: upstream ignores them for forward compatibility.
 */
public final class FrameDecoder extends ByteToMessageDecoder {

    private long bytesToSkip;
    private OversizedFrame skipping;
    private boolean corrupt;

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (corrupt) {
            // the connection is being closed; whatever else arrives means nothing
            in.skipBytes(in.readableBytes());
            return;
        }
        if (skipping != null) {
            skip(in, out);
            return;
        }
        if (in.readableBytes() < Frame.HEADER_LENGTH) {
            return;
        }
        int start = in.readerIndex();
        if (in.getByte(start) != 0) {
            corrupt = true;
            throw new CorruptedFrameException("not a ttrpc frame header: reserved first byte is 0x"
                    + Integer.toHexString(in.getUnsignedByte(start)));
        }
        long length = in.getUnsignedInt(start);
        int streamId = in.getInt(start + 4);
        byte type = in.getByte(start + 8);
        byte flags = in.getByte(start + 9);
        if (length > Frame.MAX_DATA_LENGTH) {
            in.skipBytes(Frame.HEADER_LENGTH);
            skipping = new OversizedFrame(streamId, type, length);
            bytesToSkip = length;
            skip(in, out);
            return;
        }
        if (in.readableBytes() < Frame.HEADER_LENGTH + length) {
            return;
        }
        in.skipBytes(Frame.HEADER_LENGTH);
        out.add(new Frame(streamId, type, flags, in.readRetainedSlice((int) length)));
    }

    private void skip(ByteBuf in, List<Object> out) {
        int n = (int) Math.min(bytesToSkip, in.readableBytes());
        in.skipBytes(n);
        bytesToSkip -= n;
        if (bytesToSkip == 0) {
            out.add(skipping);
            skipping = null;
        }
    }
}
