package io.vcj.ttrpc.frame;

/** A frame about to be sent carries more than {@link Frame#MAX_DATA_LENGTH} bytes; nothing was written. */
public final class FrameTooLargeException extends IllegalArgumentException {

    public FrameTooLargeException(long length) {
        super("message length " + length + " exceed maximum message size of " + Frame.MAX_DATA_LENGTH);
    }
}
