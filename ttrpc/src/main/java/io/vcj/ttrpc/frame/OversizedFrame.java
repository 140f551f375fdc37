package io.vcj.ttrpc.frame;

/**
 * What {@link FrameDecoder} passes on instead of a frame whose declared length exceeds
 * {@link Frame#MAX_DATA_LENGTH}: its data has been skipped, and the stream it was meant for
 * deserves an error answer, while the connection itself stays usable.
 */
public record OversizedFrame(int streamId, byte type, long length) {

    public String message() {
        return "message length " + length + " exceed maximum message size of " + Frame.MAX_DATA_LENGTH;
    }
}
