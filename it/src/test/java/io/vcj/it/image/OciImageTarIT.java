package io.vcj.it.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vcj.it.Containerd;
import io.vcj.it.HostRequirements;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The image builder against containerd itself: the tar imports under its name, and runc (the
 * host's, no VM) runs it with the process the image config describes.
 */
class OciImageTarIT {

  private Containerd containerd;
  private Path busybox;

  @BeforeEach
  void privateContainerd() throws Exception {
    HostRequirements.assumeRootWithContainerd();
    busybox = HostRequirements.assumeStaticBusybox();
    containerd = Containerd.start();
  }

  @AfterEach
  void stopContainerd() throws Exception {
    if (containerd != null) {
      containerd.close();
    }
  }

  @Test
  void theImageRunsWithTheProcessItsConfigDescribes() throws Exception {
    String image = OciImageTar.busybox(busybox)
        .name("docker.io/vcj-it/configured:1")
        .env("GREETING=hello from the image")
        .workingDir("/srv/app")
        .user("1234:5678")
        .file("/srv/app/data.txt", "in the layer\n")
        .entrypoint("/bin/sh", "-c")
        .cmd("echo \"$GREETING\"; pwd; id -u; id -g; cat data.txt")
        .writeTo(containerd.dir().resolve("configured.tar"))
        .importInto(containerd);

    String out = containerd.ctr("run", "--rm", image, "configured").orThrow().stdout();

    assertEquals("hello from the image\n/srv/app\n1234\n5678\nin the layer\n", out);
  }

  @Test
  void anImageNameWithoutTagIsRefused() {
    var e = assertThrows(IllegalArgumentException.class,
        () -> OciImageTar.busybox(busybox).name("docker.io/vcj-it/untagged"));

    assertTrue(e.getMessage().contains("docker.io/vcj-it/untagged has no tag"), e.getMessage());
  }
}
