package io.vcj.qemu;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** File helpers for cleanup paths, where a failure to delete must not hide the original error. */
final class Files2 {

    private static final int TAIL_LINES = 20;

    private Files2() {
    }

    static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            // the caller is already cleaning up after something; a leftover file is logged by its owner
        }
    }

    /** The last lines of a log, for error messages; empty when there is no log. */
    static String tail(Path log) {
        try {
            List<String> lines = new String(Files.readAllBytes(log), StandardCharsets.UTF_8).lines().toList();
            return String.join("\n", lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size())).strip();
        } catch (IOException e) {
            return "";
        }
    }
}
