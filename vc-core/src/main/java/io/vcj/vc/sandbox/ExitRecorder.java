package io.vcj.vc.sandbox;

import io.vcj.vc.ExitStatus;
import io.vcj.vc.State;
import io.vcj.vc.VcException;
import io.vcj.vc.store.ContainerRecord;
import io.vcj.vc.store.ExecRecord;
import io.vcj.vc.store.SandboxLock;
import io.vcj.vc.store.SandboxRecord;
import io.vcj.vc.store.SandboxStore;

import java.time.Instant;
import java.util.Optional;

/**
 * Persists process exits; the first status recorded for a process is the one that counts. A sandbox
 * is named by id and creation time, so news about one deleted elsewhere never lands on a new sandbox
 * with the same id.
 */
final class ExitRecorder {
    private final SandboxStore store;

    ExitRecorder(SandboxStore store) {
        this.store = store;
    }

    /** Records that a process exited and returns its recorded status. */
    ExitStatus recordExit(String sandboxId, Instant createdAt, ProcessKey key, ExitStatus status) {
        try (SandboxLock lock = store.lock(sandboxId)) {
            Optional<SandboxRecord> found = read(sandboxId, createdAt);
            Optional<ContainerRecord> container = found.flatMap(s -> s.container(key.containerId()));
            if (container.isEmpty()) {
                return status;
            }
            Optional<ExitStatus> earlier = recorded(container.get(), key);
            if (earlier.isPresent()) {
                return earlier.get();
            }
            store.write(found.get().withContainer(withExit(container.get(), key, status)));
            return status;
        } catch (VcException.NotFound gone) {
            return status;
        }
    }

    /**
     * Records that the VM is gone: the sandbox stops, and every process not yet recorded as exited
     * gets {@code status}. Returns the resulting record, if the sandbox still exists.
     */
    Optional<SandboxRecord> recordVmGone(String sandboxId, Instant createdAt, ExitStatus status) {
        try (SandboxLock lock = store.lock(sandboxId)) {
            Optional<SandboxRecord> found = read(sandboxId, createdAt);
            if (found.isEmpty() || found.get().state() == State.STOPPED) {
                return found;
            }
            SandboxRecord stopped = found.get()
                    .withEachContainer(c -> c.state() == State.STOPPED ? c : c.exited(status))
                    .withState(State.STOPPED);
            store.write(stopped);
            return Optional.of(stopped);
        } catch (VcException.NotFound gone) {
            return Optional.empty();
        }
    }

    private Optional<SandboxRecord> read(String sandboxId, Instant createdAt) {
        return store.read(sandboxId).filter(record -> record.createdAt().equals(createdAt));
    }

    /** The recorded exit of a process; NotFound if the container has no such process. */
    static Optional<ExitStatus> recorded(ContainerRecord container, ProcessKey key) {
        if (key.isInit()) {
            return Optional.ofNullable(container.exitStatus());
        }
        return Optional.ofNullable(exec(container, key.execId()).exitStatus());
    }

    static ExecRecord exec(ContainerRecord container, String execId) {
        return container.exec(execId).orElseThrow(() -> new VcException.NotFound(
                "process '" + execId + "' not found in container '" + container.id() + "'"));
    }

    private static ContainerRecord withExit(ContainerRecord container, ProcessKey key, ExitStatus status) {
        return key.isInit() ? container.exited(status) : container.withExec(exec(container, key.execId()).withExit(status));
    }
}
