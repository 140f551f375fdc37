package io.vcj.shim.task;

import io.vcj.shim.proto.task.DeleteResponse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The answer to a task's Delete, kept in its bundle. containerd runs the shim binary's
 * {@code delete} after every shim exit, a clean one too, and waits for it; when the shim deleted
 * the task itself there is nothing left to clean up, and {@code delete} hands back this answer
 * (the launcher does so without starting a JVM, which would cost every {@code ctr run --rm} ~0.3 s).
 */
public final class DeletedTaskRecord {

    /** The file's name in the bundle; the launcher script reads it too. */
    public static final String FILE = "vcj-deleted";

    private DeletedTaskRecord() {
    }

    static void write(Path bundle, DeleteResponse response) throws IOException {
        Files.write(bundle.resolve(FILE), response.toByteArray());
    }

    public static Optional<byte[]> read(Path bundle) throws IOException {
        try {
            return Optional.of(Files.readAllBytes(bundle.resolve(FILE)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }
}
