package io.vcj.ttrpc.frame;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.EncoderException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FrameCodecTest {

    private final EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder(), FrameEncoder.INSTANCE);

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    private static ByteBuf header(long length, int streamId, int type, int flags) {
        return Unpooled.buffer(10).writeInt((int) length).writeInt(streamId).writeByte(type).writeByte(flags);
    }

    @Test
    void encodesTheTenByteHeaderBigEndianFollowedByTheData() {
        channel.writeOutbound(new Frame(0x01020304, Frame.TYPE_RESPONSE, (byte) 0, Unpooled.wrappedBuffer(new byte[] {9, 8, 7})));
        ByteBuf head = channel.readOutbound();
        ByteBuf data = channel.readOutbound();
        assertArrayEquals(new byte[] {0, 0, 0, 3, 1, 2, 3, 4, 2, 0}, ByteBufUtil.getBytes(head));
        assertArrayEquals(new byte[] {9, 8, 7}, ByteBufUtil.getBytes(data));
        head.release();
        data.release();
    }

    @Test
    void decodesFramesArrivingOneByteAtATime() {
        ByteBuf wire = Unpooled.buffer()
                .writeBytes(header(2, 5, 1, 0)).writeBytes(new byte[] {42, 43})
                .writeBytes(header(0, 7, 1, 0));
        while (wire.isReadable()) {
            channel.writeInbound(wire.readRetainedSlice(1));
        }
        wire.release();
        Frame first = channel.readInbound();
        Frame second = channel.readInbound();
        assertEquals(5, first.streamId());
        assertArrayEquals(new byte[] {42, 43}, ByteBufUtil.getBytes(first.data()));
        assertEquals(7, second.streamId());
        assertEquals(0, second.data().readableBytes());
        first.release();
        second.release();
    }

    @Test
    void oversizeFrameIsSkippedExactlyAndReportedThenDecodingGoesOn() {
        int length = Frame.MAX_DATA_LENGTH + 5;
        channel.writeInbound(header(length, 9, 1, 0));
        channel.writeInbound(Unpooled.wrappedBuffer(new byte[length - 1]));
        assertNull(channel.readInbound(), "nothing until every declared byte has been skipped");
        channel.writeInbound(Unpooled.buffer().writeByte(0).writeBytes(header(1, 11, 1, 0)).writeByte(77));

        OversizedFrame oversized = channel.readInbound();
        assertEquals(9, oversized.streamId());
        assertEquals("message length 4194309 exceed maximum message size of 4194304", oversized.message());
        Frame next = channel.readInbound();
        assertEquals(11, next.streamId());
        assertEquals(77, next.data().getByte(0));
        next.release();
    }

    @Test
    void headerWithNonZeroReservedByteIsCorrupt() {
        DecoderException e = assertThrows(DecoderException.class,
                () -> channel.writeInbound(Unpooled.copiedBuffer("GET / HTTP/1.1", java.nio.charset.StandardCharsets.US_ASCII)));
        assertTrue(e.getMessage().contains("not a ttrpc frame header"), e.getMessage());
        channel.writeInbound(header(0, 1, 1, 0));
        assertNull(channel.readInbound(), "nothing after the corruption is decoded");
    }

    @Test
    void sendingAnOversizeFrameFailsAndWritesNothing() {
        ByteBuf big = Unpooled.buffer(Frame.MAX_DATA_LENGTH + 1).writeZero(Frame.MAX_DATA_LENGTH + 1);
        EncoderException e = assertThrows(EncoderException.class, () -> channel.writeOutbound(Frame.request(1, big)));
        assertTrue(e.getCause() instanceof FrameTooLargeException);
        assertNull(channel.readOutbound());
        assertEquals(0, big.refCnt(), "the refused frame is released");
        assertFalse(channel.finish());
    }
}
