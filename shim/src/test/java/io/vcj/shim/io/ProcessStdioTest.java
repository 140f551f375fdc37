package io.vcj.shim.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vcj.vc.ProcessIo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

@Timeout(60)
class ProcessStdioTest {

    @TempDir
    Path tmp;

    @Test
    void stdinEndOfFileReachesTheProcessAfterEveryByte() throws Exception {
        Path fifo = mkfifo("stdin");
        var process = new RecordingIo("");
        try (var stdio = ProcessStdio.open("t", fifo.toString(), "", "", false)) {
            stdio.attach(process);
            try (var containerd = new FileOutputStream(fifo.toFile())) {
                containerd.write("hello".getBytes(StandardCharsets.UTF_8));
            }

            process.stdinClosed.await();
            assertEquals("hello", process.stdin.toString(StandardCharsets.UTF_8));
        }
    }

    @Test
    void closingEndsAStdinCopyContainerdNeverWroteTo() throws Exception {
        Path fifo = mkfifo("stdin");
        var process = new RecordingIo("");
        var stdio = ProcessStdio.open("t", fifo.toString(), "", "", false);
        stdio.attach(process);

        stdio.close();

        process.stdinClosed.await();
        assertEquals(0, process.stdin.size());
    }

    @Test
    void closeStdinLetsContainerdClosingItsEndBeTheEnd() throws Exception {
        Path fifo = mkfifo("stdin");
        var process = new RecordingIo("");
        try (var stdio = ProcessStdio.open("t", fifo.toString(), "", "", false);
             var containerd = new FileOutputStream(fifo.toFile())) {
            stdio.attach(process);

            stdio.closeStdin();
            containerd.close();

            process.stdinClosed.await();
            assertEquals(0, process.stdin.size());
        }
    }

    @Test
    void outputNobodyAskedForIsStillReadToItsEnd() throws Exception {
        var process = new RecordingIo("unwanted output");
        try (var stdio = ProcessStdio.open("t", "", "", "", false)) {
            stdio.attach(process);
            stdio.awaitOutput();
        }

        assertEquals(0, process.stdout.available());
    }

    @Test
    void aTerminalHasNoSeparateStderr() throws Exception {
        Path log = tmp.resolve("out.log");
        var process = new RecordingIo("on the terminal");
        try (var stdio = ProcessStdio.open("t", "", log.toUri().toString(), tmp.resolve("err").toString(), true)) {
            stdio.attach(process);
            stdio.awaitOutput();
        }

        assertArrayEquals("on the terminal".getBytes(StandardCharsets.UTF_8), Files.readAllBytes(log));
        assertFalse(Files.exists(tmp.resolve("err")));
    }

    @Test
    void unknownSchemesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> ProcessStdio.open("t", "", "tcp://host:1", "", false));
        assertThrows(UnsupportedOperationException.class,
                () -> ProcessStdio.open("t", "", "", "binary:///bin/logger", false));
    }

    private Path mkfifo(String name) throws IOException, InterruptedException {
        Path path = tmp.resolve(name);
        if (new ProcessBuilder("mkfifo", path.toString()).inheritIO().start().waitFor() != 0) {
            throw new IOException("mkfifo failed");
        }
        return path;
    }

    /** A process whose stdout is fixed text, whose stderr must not be read, and whose stdin is recorded. */
    private static final class RecordingIo implements ProcessIo {
        final ByteArrayOutputStream stdin = new ByteArrayOutputStream();
        final CountDownLatch stdinClosed = new CountDownLatch(1);
        final ByteArrayInputStream stdout;

        RecordingIo(String output) {
            stdout = new ByteArrayInputStream(output.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public OutputStream stdin() {
            return new OutputStream() {
                @Override
                public void write(int b) {
                    stdin.write(b);
                }

                @Override
                public void write(byte[] data, int offset, int length) {
                    stdin.write(data, offset, length);
                }

                @Override
                public void close() {
                    stdinClosed.countDown();
                }
            };
        }

        @Override
        public InputStream stdout() {
            return stdout;
        }

        @Override
        public InputStream stderr() {
            return InputStream.nullInputStream();
        }

        @Override
        public void resizeTerminal(int rows, int columns) {
        }
    }
}
