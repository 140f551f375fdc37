package io.vcj.vc.network;

import io.vcj.vc.config.NetworkConfig;

/**
 * Connects a pod's network namespace to its VM (implemented outside vc-core, e.g. module {@code netns}).
 * Only called for sandboxes whose {@link NetworkConfig#enabled()}.
 */
public interface NetworkSetup {

    /** Does nothing: sandboxes get no network. */
    NetworkSetup NONE = new NetworkSetup() {
        @Override
        public NetworkPlan setUp(String sandboxId, NetworkConfig config) {
            return NetworkPlan.EMPTY;
        }

        @Override
        public void tearDown(String sandboxId, NetworkConfig config) {
        }
    };

    /** Prepares the host side (taps, bridges, filters) before the VM starts. */
    NetworkPlan setUp(String sandboxId, NetworkConfig config);

    /** Undoes {@link #setUp}; idempotent, and must work from a process other than the one that set up. */
    void tearDown(String sandboxId, NetworkConfig config);
}
