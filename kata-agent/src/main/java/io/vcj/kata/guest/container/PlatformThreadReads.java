package io.vcj.kata.guest.container;

import java.io.IOException;
import java.io.InputStream;

/** An input stream whose reads run on a platform thread of its own ({@link PlatformThreadCalls}). */
final class PlatformThreadReads extends InputStream {
    private final InputStream in;
    private final PlatformThreadCalls reader;

    PlatformThreadReads(InputStream in, String threadName) {
        this.in = in;
        this.reader = new PlatformThreadCalls(threadName);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        try {
            int n = reader.call(() -> in.read(b, off, len));
            if (n < 0) {
                // A finished exec is kept until its container goes; its reader thread need not be.
                reader.end();
            }
            return n;
        } catch (PlatformThreadCalls.Ended e) {
            return -1;
        }
    }

    /** Stops the reader thread; the stream underneath belongs to whoever opened it. */
    @Override
    public void close() {
        reader.stop();
    }
}
