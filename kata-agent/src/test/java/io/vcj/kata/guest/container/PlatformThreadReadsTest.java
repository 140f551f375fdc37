package io.vcj.kata.guest.container;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlatformThreadReadsTest {

    /** Records whether each read ran on a virtual thread. */
    private static final class Recording extends ByteArrayInputStream {
        final List<Boolean> virtual = new ArrayList<>();

        Recording(String text) {
            super(text.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public synchronized int read(byte[] b, int off, int len) {
            virtual.add(Thread.currentThread().isVirtual());
            return super.read(b, off, len);
        }
    }

    @Test
    void aVirtualThreadsReadsRunOnAPlatformThreadAndSeeTheData() throws Exception {
        var source = new Recording("from the pty");
        byte[][] read = new byte[1][];
        try (InputStream reads = new PlatformThreadReads(source, "test-reader")) {
            Thread.ofVirtual().start(() -> {
                try {
                    read[0] = reads.readAllBytes();
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            }).join();
        }

        assertArrayEquals("from the pty".getBytes(StandardCharsets.UTF_8), read[0]);
        assertFalse(source.virtual.isEmpty());
        assertEquals(List.of(false), source.virtual.stream().distinct().toList(), "reads on a virtual thread");
    }

    @Test
    void theReaderThreadEndsWithTheStream() throws Exception {
        try (InputStream reads = new PlatformThreadReads(new Recording("short"), "ending-reader")) {
            reads.readAllBytes();

            assertEquals(-1, reads.read(), "a read after the end");
            Thread reader = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().equals("ending-reader")).findFirst().orElse(null);
            if (reader != null) {
                reader.join(5_000);
                assertFalse(reader.isAlive(), "the reader thread outlived its stream");
            }
        }
    }
}
