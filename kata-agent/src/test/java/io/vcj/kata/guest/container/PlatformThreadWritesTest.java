package io.vcj.kata.guest.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlatformThreadWritesTest {

    /** Records whether each write ran on a virtual thread. */
    private static final class Recording extends ByteArrayOutputStream {
        final List<Boolean> virtual = new ArrayList<>();

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            virtual.add(Thread.currentThread().isVirtual());
            super.write(b, off, len);
        }
    }

    @Test
    void aVirtualThreadsWritesRunOnAPlatformThreadInOrder() throws Exception {
        var sink = new Recording();
        try (OutputStream writes = new PlatformThreadWrites(sink, "test-writer")) {
            Thread.ofVirtual().start(() -> {
                try {
                    writes.write("to the ".getBytes(StandardCharsets.UTF_8));
                    writes.write('p');
                    writes.write("ipe".getBytes(StandardCharsets.UTF_8));
                    writes.flush();
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
            }).join();
        }

        assertEquals("to the pipe", sink.toString(StandardCharsets.UTF_8));
        assertEquals(List.of(false), sink.virtual.stream().distinct().toList(), "writes on a virtual thread");
    }

    @Test
    void aWriteAfterCloseFailsNamingTheStream() {
        PlatformThreadWrites writes = new PlatformThreadWrites(new Recording(), "stdin-42");
        writes.close();

        IOException e = assertThrows(IOException.class, () -> writes.write(1));
        assertEquals("the stream served by stdin-42 is closed", e.getMessage());
    }
}
