package io.vcj.vc.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vcj.vc.VcException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Sandboxes' state on disk: {@code <root>/<sandboxId>/} is a sandbox's directory (also the VM's run
 * directory), holding {@code state.json} and the lock file. Callers hold {@link #lock} around every
 * read-modify-write.
 */
public final class SandboxStore {
    private static final String STATE_FILE = "state.json";
    private static final String LOCK_FILE = ".lock";

    private final Path root;
    private final ObjectMapper json = new ObjectMapper();

    public SandboxStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    public Path dir(String sandboxId) {
        return root.resolve(sandboxId);
    }

    /** Creates the sandbox's directory; AlreadyExists if a sandbox with that id exists. */
    public void createDir(String sandboxId) {
        try {
            Files.createDirectories(root);
            Files.createDirectory(dir(sandboxId));
        } catch (FileAlreadyExistsException e) {
            throw new VcException.AlreadyExists("sandbox '" + sandboxId + "' already exists");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the directory of sandbox '" + sandboxId + "'", e);
        }
    }

    public SandboxLock lock(String sandboxId) {
        return SandboxLock.acquire(sandboxId, dir(sandboxId).resolve(LOCK_FILE));
    }

    /** The sandbox's state; NotFound if there is none. */
    public SandboxRecord load(String sandboxId) {
        return read(sandboxId).orElseThrow(() -> new VcException.NotFound("sandbox '" + sandboxId + "' not found"));
    }

    public Optional<SandboxRecord> read(String sandboxId) {
        try {
            return Optional.of(StateReader.sandbox(json.readTree(Files.readAllBytes(dir(sandboxId).resolve(STATE_FILE)))));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the state of sandbox '" + sandboxId + "'", e);
        }
    }

    /** Replaces the state atomically: a reader sees the old or the new state, never a torn one. */
    public void write(SandboxRecord sandbox) {
        Path target = dir(sandbox.id()).resolve(STATE_FILE);
        Path temp = target.resolveSibling(STATE_FILE + ".tmp");
        try {
            Files.writeString(temp, StateWriter.sandbox(sandbox).toPrettyString());
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the state of sandbox '" + sandbox.id() + "'", e);
        }
    }

    /** Ids of the sandboxes with a state, sorted. */
    public List<String> ids() {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        var ids = new ArrayList<String>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root, Files::isDirectory)) {
            dirs.forEach(d -> {
                if (Files.exists(d.resolve(STATE_FILE))) {
                    ids.add(d.getFileName().toString());
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list sandboxes in " + root, e);
        }
        ids.sort(null);
        return ids;
    }
}
