package io.vcj.it.storage;

import io.vcj.it.vm.GuestImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A vcj config for the tests' guest image under TCG, with the shared file system to use. */
final class VcjConfigFile {

    private VcjConfigFile() {
    }

    static Path write(Path file, GuestImage guest, String sharedFs, Path stateRoot) throws IOException {
        return Files.writeString(file, """
                [hypervisor.qemu]
                kernel = "%s"
                initrd = "%s"
                accelerator = "tcg"
                shared_fs = "%s"

                [agent.kata]
                dial_timeout = 300

                [runtime]
                state_root = "%s"
                """.formatted(guest.kernel(), guest.initrd(), sharedFs, stateRoot));
    }
}
