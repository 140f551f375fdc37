package io.vcj.it.shim;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The pod VM's kernel and initramfs with this build's guest agent, from {@code scripts/build-guest}
 * (a no-op when its inputs are unchanged) into the cache the other VM tests share. The agent jars
 * come from it/pom.xml's {@code guest-agent-jars} step, so run these tests through {@code mvn verify}.
 */
record TestGuest(Path kernel, Path initrd, String kernelRelease) {

    private static final Path REPO = Path.of("").toAbsolutePath().getParent();
    private static final Path AGENT_JARS = Path.of("target", "agent-jars").toAbsolutePath();
    private static final Path CACHE = Path.of(System.getenv().getOrDefault("VCJ_CACHE", "/var/cache/vcj"), "it-guest");
    private static final long BUILD_MINUTES = 30;

    private static TestGuest built;

    static synchronized TestGuest get() throws IOException, InterruptedException {
        if (built == null) {
            buildGuest();
            built = new TestGuest(CACHE.resolve("vmlinux"), CACHE.resolve("initrd.img"), kernelReleaseOf(CACHE.resolve("manifest")));
        }
        return built;
    }

    private static void buildGuest() throws IOException, InterruptedException {
        if (!Files.isDirectory(AGENT_JARS)) {
            throw new IllegalStateException(AGENT_JARS + " is missing: run through `mvn verify` (pre-integration-test copies the agent jars)");
        }
        Path log = Files.createTempFile("build-guest", ".log");
        try {
            Process build = new ProcessBuilder(REPO.resolve("scripts/build-guest").toString(),
                    "--agent-jars", AGENT_JARS.toString(), "--cache", CACHE.toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            boolean done = build.waitFor(BUILD_MINUTES, TimeUnit.MINUTES);
            if (!done) {
                build.destroyForcibly().waitFor();
            }
            if (!done || build.exitValue() != 0) {
                throw new IllegalStateException("scripts/build-guest failed: " + Files.readString(log, StandardCharsets.UTF_8));
            }
        } finally {
            Files.delete(log);
        }
    }

    /** What {@code uname -r} says inside the VM: the manifest's {@code kernel} line. */
    private static String kernelReleaseOf(Path manifest) throws IOException {
        return Files.readAllLines(manifest).stream()
                .filter(line -> line.startsWith("kernel "))
                .map(line -> line.substring("kernel ".length()).strip())
                .findFirst().orElseThrow(() -> new IllegalStateException(manifest + " names no kernel"));
    }
}
