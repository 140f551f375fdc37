package io.vcj.shim;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A vcj config whose guest files exist (empty: nothing boots in these tests) and a bundle for it. */
final class ShimTestFiles {

    private ShimTestFiles() {
    }

    static Path config(Path dir) throws IOException {
        Path guest = Files.createDirectories(dir.resolve("guest"));
        return Files.writeString(dir.resolve("configuration.toml"), """
                [hypervisor.qemu]
                path = "%s"
                kernel = "%s"
                initrd = "%s"

                [runtime]
                state_root = "%s"
                """.formatted(Files.createFile(guest.resolve("qemu")), Files.createFile(guest.resolve("vmlinux")),
                Files.createFile(guest.resolve("initrd.img")), dir.resolve("state")));
    }

    static Path bundle(Path dir) throws IOException {
        Path bundle = Files.createDirectories(dir.resolve("bundle"));
        Files.createDirectories(bundle.resolve("rootfs"));
        Files.writeString(bundle.resolve("config.json"), "{\"ociVersion\": \"1.0.2\", \"annotations\": {}}");
        return bundle;
    }
}
