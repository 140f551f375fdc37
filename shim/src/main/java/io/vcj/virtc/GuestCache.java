package io.vcj.virtc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Where {@code scripts/build-guest} puts the guest image, and what its manifest says about it. */
final class GuestCache {

    private GuestCache() {
    }

    static Path dir(Map<String, String> environment) {
        return Path.of(environment.getOrDefault("VCJ_CACHE", "/var/cache/vcj"), "guest");
    }

    /** The PVH-bootable kernel: build-guest's own advice, it skips the in-guest decompression. */
    static Path kernel(Map<String, String> environment) {
        return dir(environment).resolve("vmlinux");
    }

    static Path initrd(Map<String, String> environment) {
        return dir(environment).resolve("initrd.img");
    }

    /**
     * Whether the image next to {@code initrd} has the guest agent, by build-guest's manifest:
     * {@code agent-jar none} when it was built without {@code --agent-jars}. Empty when there is no
     * manifest to tell.
     */
    static Optional<Boolean> hasAgent(Path initrd) {
        Path manifest = initrd.resolveSibling("manifest");
        try {
            List<String> agentJars = Files.readAllLines(manifest).stream()
                    .filter(line -> line.startsWith("agent-jar "))
                    .toList();
            return Optional.of(!agentJars.isEmpty() && !agentJars.contains("agent-jar none"));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
