package io.vcj.it.image;

import java.nio.file.Path;

/**
 * {@code WriteBusyboxImage BUSYBOX TAR}: writes the default busybox image ({@link OciImageTar})
 * to TAR and prints its name, for scripts that import it with ctr (scripts/bench-ctr).
 */
public final class WriteBusyboxImage {

  private WriteBusyboxImage() {
  }

  public static void main(String[] args) throws Exception {
    if (args.length != 2) {
      System.err.println("usage: WriteBusyboxImage BUSYBOX TAR");
      System.exit(2);
    }
    ImageArchive image = OciImageTar.busybox(Path.of(args[0])).writeTo(Path.of(args[1]).toAbsolutePath());
    System.out.println(image.name());
  }
}
