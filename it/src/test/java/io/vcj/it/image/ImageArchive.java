package io.vcj.it.image;

import io.vcj.it.Containerd;
import io.vcj.it.CtrResult;
import java.io.IOException;
import java.nio.file.Path;

/** An OCI image tar on disk and the name containerd gives it on import. */
public record ImageArchive(String name, Path file) {

  /** {@code ctr images import} into the containerd's own namespace; returns the image name. */
  public String importInto(Containerd containerd) throws IOException, InterruptedException {
    return importInto(containerd, containerd.namespace());
  }

  /**
   * {@code ctr -n <namespace> images import} (which also unpacks it for the default snapshotter);
   * fails naming the image if containerd does not list it afterwards.
   */
  public String importInto(Containerd containerd, String namespace) throws IOException, InterruptedException {
    containerd.ctrIn(namespace, "images", "import", file.toString()).orThrow();
    CtrResult listed = containerd.ctrIn(namespace, "images", "ls", "-q").orThrow();
    if (!listed.stdout().lines().toList().contains(name)) {
      throw new IllegalStateException("imported " + file + " but namespace " + namespace + " has no image " + name
          + "; it lists:\n" + listed.stdout());
    }
    return name;
  }
}
