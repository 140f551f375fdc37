package io.vcj.it.shim;

import io.vcj.it.vm.GuestImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The vcj config the shim tests run pods with: the test's guest image under TCG, a private state
 * root, and VM templates beside the config file, as the installed config has them: a test's first pod boots
 * and saves its VM, the others resume it.
 */
public final class VcjTestConfig {

  private VcjTestConfig() {
  }

  /** {@code extraQemuKeys} go at the end of [hypervisor.qemu], from line 5. */
  public static Path write(Path file, GuestImage guest, Path stateRoot, String extraQemuKeys) throws IOException {
    return Files.writeString(file, """
        [hypervisor.qemu]
        kernel = "%s"
        initrd = "%s"
        accelerator = "tcg"
        %s
        [agent.kata]
        dial_timeout = 300

        [runtime]
        state_root = "%s"
        enable_debug = true

        [factory]
        enable_template = true
        template_path = "%s"
        """.formatted(guest.kernel(), guest.initrd(), extraQemuKeys, stateRoot, file.resolveSibling("vcj-templates")));
  }
}
