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

    /**
     * Prepares the host side (taps, bridges, filters) of the namespace's interfaces that are not
     * connected yet, making the namespace first if {@link NetworkConfig#createNamespace()}. Called
     * before the VM starts and, for a namespace vcj made, again at sandbox start: the plan then
     * holds only what was added in between.
     */
    NetworkPlan setUp(String sandboxId, NetworkConfig config);

    /**
     * Undoes {@link #setUp}, removing a namespace vcj made; idempotent, and must work from a process
     * other than the one that set up.
     */
    void tearDown(String sandboxId, NetworkConfig config);
}
