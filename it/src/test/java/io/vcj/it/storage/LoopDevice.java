package io.vcj.it.storage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A loop device over an image file the test makes; closing detaches it. */
final class LoopDevice implements AutoCloseable {

    final Path image;
    final Path device;

    private LoopDevice(Path image, Path device) {
        this.image = image;
        this.device = device;
    }

    /** An ext4 image of {@code mib} MiB holding a copy of {@code content} (a directory), on a loop device. */
    static LoopDevice ext4(Path image, int mib, Path content) throws IOException, InterruptedException {
        run("truncate", "-s", mib + "M", image.toString());
        run("mkfs.ext4", "-q", "-F", "-d", content.toString(), image.toString());
        return over(image);
    }

    /** A loop device over {@code image} as it is. */
    static LoopDevice over(Path image) throws IOException, InterruptedException {
        return new LoopDevice(image, Path.of(run("losetup", "--find", "--show", image.toString()).strip()));
    }

    /** A file's content read from the image without mounting it (the VM may still hold the disk). */
    String read(String path) throws IOException, InterruptedException {
        return run("debugfs", "-R", "cat " + path, image.toString());
    }

    boolean attached() throws IOException, InterruptedException {
        return run("losetup", "--list", "--noheadings", "--output", "NAME").lines()
                .anyMatch(name -> name.strip().equals(device.toString()));
    }

    @Override
    public void close() throws IOException, InterruptedException {
        run("losetup", "--detach", device.toString());
    }

    static String run(String... command) throws IOException, InterruptedException {
        var argv = new ArrayList<>(List.of(command));
        Process process = new ProcessBuilder(argv).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IOException(String.join(" ", argv) + " exited " + process.exitValue());
        }
        return out;
    }
}
