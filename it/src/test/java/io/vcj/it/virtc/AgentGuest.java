package io.vcj.it.virtc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The guest image with this build's agent, in the same cache as vm/GuestImage (which is package-private
 * there): {@code scripts/build-guest --agent-jars target/agent-jars --cache $VCJ_CACHE/it-guest}. The
 * script rebuilds only when an input changed.
 */
record AgentGuest(Path kernel, Path initrd) {
    private static final Path REPO = Path.of("").toAbsolutePath().getParent();
    private static final Path AGENT_JARS = Path.of("target", "agent-jars").toAbsolutePath();
    private static final Path CACHE = Path.of(System.getenv().getOrDefault("VCJ_CACHE", "/var/cache/vcj"), "it-guest");

    static AgentGuest build() throws IOException, InterruptedException {
        if (!Files.isDirectory(AGENT_JARS)) {
            throw new IllegalStateException(AGENT_JARS + " is missing: run the ITs through `mvn verify`");
        }
        Path log = Files.createTempFile("build-guest", ".log");
        try {
            Process build = new ProcessBuilder(REPO.resolve("scripts/build-guest").toString(),
                    "--agent-jars", AGENT_JARS.toString(), "--cache", CACHE.toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!build.waitFor(30, TimeUnit.MINUTES)) {
                build.destroyForcibly().waitFor();
            }
            if (build.exitValue() != 0) {
                throw new IllegalStateException("scripts/build-guest failed: "
                        + Files.readString(log, StandardCharsets.UTF_8));
            }
        } finally {
            Files.delete(log);
        }
        return new AgentGuest(CACHE.resolve("vmlinux"), CACHE.resolve("initrd.img"));
    }
}
