package io.vcj.it.shim;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A directory holding {@code containerd-shim-vcj-v2} for containerd's PATH: a launcher running
 * the shim of this build on this test's JVM and class path, with the flags the installed
 * launcher uses to keep the JVM quiet on stdout.
 */
public final class ShimOnPath {

    public static final String RUNTIME = "io.containerd.vcj.v2";

    private ShimOnPath() {
    }

    public static Path create(Path dir) throws IOException {
        Path bin = Files.createDirectories(dir.resolve("shim-bin"));
        List<String> command = List.of(ProcessHandle.current().info().command().orElseThrow(),
                "--sun-misc-unsafe-memory-access=allow", "--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), "io.vcj.shim.ShimMain");
        String script = "#!/bin/sh\nexec " + command.stream().map(ShimOnPath::quoted).collect(Collectors.joining(" "))
                + " \"$@\"\n";
        Path launcher = bin.resolve("containerd-shim-vcj-v2");
        Files.writeString(launcher, script);
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
        return bin;
    }

    public static void delete(Path bin) throws IOException {
        Files.deleteIfExists(bin.resolve("containerd-shim-vcj-v2"));
        Files.deleteIfExists(bin);
        Files.deleteIfExists(bin.getParent());
    }

    /** {@code word} as one sh word. */
    static String quoted(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }
}
