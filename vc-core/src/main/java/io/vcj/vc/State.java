package io.vcj.vc;

/**
 * Lifecycle state of a sandbox or a container.
 *
 * <p>Sandbox: {@code READY} once its VM and agent are up, {@code RUNNING} once started, {@code PAUSED}
 * while its VM is paused, {@code STOPPED} once its VM is gone. Container: {@code READY} once created in
 * the guest, {@code RUNNING} once its process started, {@code PAUSED} while frozen, {@code STOPPED}
 * once its process exited or was stopped.
 */
public enum State {
    READY, RUNNING, PAUSED, STOPPED;

    public String lowerCase() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
