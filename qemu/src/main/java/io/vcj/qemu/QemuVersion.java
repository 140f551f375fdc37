package io.vcj.qemu;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;

/** What a QEMU binary says of itself: the first line of {@code --version}. */
public final class QemuVersion {
    private QemuVersion() {
    }

    /** Empty when the binary cannot run or says nothing: such a QEMU cannot start a VM either. */
    public static Optional<String> of(Path binary) {
        try {
            Process process = new ProcessBuilder(binary.toString(), "--version").redirectErrorStream(true).start();
            String firstLine = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines()
                    .findFirst().orElse("");
            return process.waitFor() == 0 && !firstLine.isBlank() ? Optional.of(firstLine.strip()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
