package io.vcj.virtc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VirtcTest {

    @TempDir
    Path root;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void helpListsEveryCommand() {
        assertEquals(0, run("help"));

        for (Command command : Command.values()) {
            assertTrue(out().contains("  " + command.words() + " "), command.words());
        }
    }

    @Test
    void commandHelpListsItsOptions() {
        assertEquals(0, run("container", "exec", "--help"));

        assertTrue(out().startsWith("Usage: virtc container exec [OPTIONS] [-- CMD ARGS...]\n"), out());
        assertTrue(out().contains("  --sandbox-id ID "), out());
        assertTrue(!out().contains("--rootfs"), out());
    }

    @Test
    void aWrongCommandLineExitsWithTwoAndSaysWhy() {
        assertEquals(2, run("sandbox", "stop"));

        assertEquals("virtc: 'sandbox stop' needs --id ID (see virtc help)\n", err());
        assertEquals("", out());
    }

    @Test
    void aRefusalOfVirtcontainersExitsWithOneAndItsMessage() {
        assertEquals(1, run("--root", root.toString(), "sandbox", "status", "--id", "nope"));

        assertTrue(err().startsWith("virtc: ") && err().contains("nope"), err());
        assertEquals("", out());
    }

    @Test
    void anEmptyRootListsNoSandboxes() throws Exception {
        assertEquals(0, run("--root", root.toString(), "sandbox", "list", "--json"));

        assertEquals("[ ]\n", out());
        try (var entries = Files.list(root)) {
            assertEquals(0, entries.count());
        }
    }

    private int run(String... args) {
        return new Virtc(InputStream.nullInputStream(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of()).run(args);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }
}
