package io.vcj.kata.guest.sys;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Runs a short guest command (runc, mount, ip) to completion. */
public final class Command {
    private Command() {
    }

    /**
     * @param stdin text for the command's stdin, or null for none
     * @return the command's stdout
     * @throws IOException if it cannot run or exits non-zero; the message carries its stderr
     */
    public static String run(List<String> argv, String stdin) throws IOException {
        Process p = new ProcessBuilder(argv).start();
        try (OutputStream in = p.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        }
        // These commands say little on stderr, so reading stdout first cannot fill the stderr pipe.
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            int status = p.waitFor();
            if (status != 0) {
                throw new IOException(String.join(" ", argv) + " exited " + status + ": " + err.strip());
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IOException(String.join(" ", argv) + ": interrupted");
        }
    }
}
