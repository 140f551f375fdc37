package io.vcj.vc.config;

import java.nio.file.Path;

/**
 * The pod's network.
 *
 * @param netnsPath       the network namespace holding the pod's interfaces, null for no network
 * @param createNamespace vcj makes the namespace at {@code netnsPath} (empty) when the sandbox is
 *                        created and removes it when the sandbox is deleted. Whoever asked for the
 *                        pod adds interfaces between create and start ({@code ctr run --cni} runs
 *                        CNI on the task pid's namespace), so they are connected at start.
 */
public record NetworkConfig(Path netnsPath, NetInterworkingModel interworkingModel, boolean createNamespace) {

    public static final NetworkConfig NONE = new NetworkConfig(null, NetInterworkingModel.DEFAULT);

    public NetworkConfig {
        interworkingModel = interworkingModel == null ? NetInterworkingModel.DEFAULT : interworkingModel;
        if (createNamespace && netnsPath == null) {
            throw new IllegalArgumentException("a network namespace to create needs a path");
        }
    }

    /** A namespace someone else made (CRI, CNI) and removes. */
    public NetworkConfig(Path netnsPath, NetInterworkingModel interworkingModel) {
        this(netnsPath, interworkingModel, false);
    }

    public boolean enabled() {
        return netnsPath != null;
    }
}
