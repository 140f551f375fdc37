package io.vcj.vc.config;

import java.nio.file.Path;

/**
 * The pod's network.
 *
 * @param netnsPath the network namespace holding the pod's interfaces, null for no network
 */
public record NetworkConfig(Path netnsPath, NetInterworkingModel interworkingModel) {

    public static final NetworkConfig NONE = new NetworkConfig(null, NetInterworkingModel.DEFAULT);

    public NetworkConfig {
        interworkingModel = interworkingModel == null ? NetInterworkingModel.DEFAULT : interworkingModel;
    }

    public boolean enabled() {
        return netnsPath != null;
    }
}
