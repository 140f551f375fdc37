package io.vcj.netns;

import io.vcj.vc.config.NetInterworkingModel;
import io.vcj.vc.config.NetworkConfig;

import java.nio.file.Path;

/** A process that only tears down, as a shim restarted after a crash would: args are the namespace path and the model. */
public final class TearDownInAnotherProcess {
    private TearDownInAnotherProcess() {
    }

    public static void main(String[] args) {
        new PodNetworkSetup().tearDown("sb", new NetworkConfig(Path.of(args[0]), NetInterworkingModel.valueOf(args[1])));
    }
}
