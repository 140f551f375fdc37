package io.vcj.it.vm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The pod VM's kernel and initramfs, with the guest agent built by this Maven run: made by
 * {@code scripts/build-guest --agent-jars target/agent-jars} (the {@code guest-agent-jars} step of
 * it/pom.xml copies them) into a cache of its own, so that images without an agent, built by other
 * tests, do not evict it. The script rebuilds only when an input changed; then it takes minutes.
 * Shared by the VM, shim and virtc integration tests; built once per test JVM.
 */
public record GuestImage(Path kernel, Path initrd, String kernelRelease) {
    private static final Path REPO = Path.of("").toAbsolutePath().getParent();
    private static final Path AGENT_JARS = Path.of("target", "agent-jars").toAbsolutePath();
    private static final Path CACHE = Path.of(System.getenv().getOrDefault("VCJ_CACHE", "/var/cache/vcj"), "it-guest");
    private static final long BUILD_MINUTES = 30;

    private static GuestImage built;

    public static synchronized GuestImage get() throws IOException, InterruptedException {
        if (built == null) {
            build();
            built = new GuestImage(CACHE.resolve("vmlinux"), CACHE.resolve("initrd.img"), manifestKernel());
        }
        return built;
    }

    private static void build() throws IOException, InterruptedException {
        if (!Files.isDirectory(AGENT_JARS)) {
            throw new IllegalStateException(AGENT_JARS + " is missing: run the ITs through `mvn verify`,"
                    + " whose pre-integration-test phase copies the agent jars there");
        }
        Path log = Files.createTempFile("build-guest", ".log");
        try {
            Process build = new ProcessBuilder(REPO.resolve("scripts/build-guest").toString(),
                    "--agent-jars", AGENT_JARS.toString(), "--cache", CACHE.toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!build.waitFor(BUILD_MINUTES, TimeUnit.MINUTES)) {
                build.destroyForcibly().waitFor();
                throw new IllegalStateException("scripts/build-guest did not finish in " + BUILD_MINUTES + " minutes: "
                        + Files.readString(log, StandardCharsets.UTF_8));
            }
            if (build.exitValue() != 0) {
                throw new IllegalStateException("scripts/build-guest failed: " + Files.readString(log, StandardCharsets.UTF_8));
            }
        } finally {
            Files.delete(log);
        }
    }

    /** The manifest's {@code kernel <release>} line: what {@code uname -r} says inside the VM. */
    private static String manifestKernel() throws IOException {
        for (String line : Files.readAllLines(CACHE.resolve("manifest"))) {
            if (line.startsWith("kernel ")) {
                return line.substring("kernel ".length()).strip();
            }
        }
        throw new IllegalStateException(CACHE.resolve("manifest") + " names no kernel");
    }
}
