package io.vcj.ttrpc.frame;

import io.netty.buffer.ByteBuf;
import io.netty.util.ReferenceCounted;

/**
 * One ttrpc frame: a 10-byte header (length, stream id, type, flags) and its data.
 * The frame owns {@code data} and shares its reference count, so Netty's usual "last consumer
 * releases" rule applies to frames too.
 */
public record Frame(int streamId, byte type, byte flags, ByteBuf data) implements ReferenceCounted {

    /** Largest data section either side may send or accept (Go's messageLengthMax). */
    public static final int MAX_DATA_LENGTH = 4 << 20;
    public static final int HEADER_LENGTH = 10;

    public static final byte TYPE_REQUEST = 1;
    public static final byte TYPE_RESPONSE = 2;
    public static final byte TYPE_DATA = 3;

    public static final byte FLAG_REMOTE_CLOSED = 1;
    public static final byte FLAG_REMOTE_OPEN = 2;
    public static final byte FLAG_NO_DATA = 4;

    public static Frame request(int streamId, ByteBuf data) {
        return new Frame(streamId, TYPE_REQUEST, (byte) 0, data);
    }

    public static Frame response(int streamId, ByteBuf data) {
        return new Frame(streamId, TYPE_RESPONSE, (byte) 0, data);
    }

    /** The stream id as the unsigned number it is on the wire. */
    public long unsignedStreamId() {
        return Integer.toUnsignedLong(streamId);
    }

    @Override
    public int refCnt() {
        return data.refCnt();
    }

    @Override
    public Frame retain() {
        data.retain();
        return this;
    }

    @Override
    public Frame retain(int increment) {
        data.retain(increment);
        return this;
    }

    @Override
    public Frame touch() {
        data.touch();
        return this;
    }

    @Override
    public Frame touch(Object hint) {
        data.touch(hint);
        return this;
    }

    @Override
    public boolean release() {
        return data.release();
    }

    @Override
    public boolean release(int decrement) {
        return data.release(decrement);
    }

    @Override
    public String toString() {
        return "Frame[stream=" + unsignedStreamId() + ", type=" + type + ", flags=" + flags
                + ", length=" + data.readableBytes() + "]";
    }
}
