package io.vcj.kata.guest.container;

import java.io.IOException;
import java.io.OutputStream;

/**
 * An output stream whose writes run on a platform thread of its own ({@link PlatformThreadCalls}),
 * for a process's stdin: a process that does not read it fills the pipe, and the write blocks.
 */
final class PlatformThreadWrites extends OutputStream {
    private final OutputStream out;
    private final PlatformThreadCalls writer;

    PlatformThreadWrites(OutputStream out, String threadName) {
        this.out = out;
        this.writer = new PlatformThreadCalls(threadName);
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        writer.call(() -> {
            out.write(b, off, len);
            return null;
        });
    }

    @Override
    public void flush() throws IOException {
        writer.call(() -> {
            out.flush();
            return null;
        });
    }

    /** Stops the writer thread; the stream underneath belongs to whoever opened it. */
    @Override
    public void close() {
        writer.stop();
    }
}
