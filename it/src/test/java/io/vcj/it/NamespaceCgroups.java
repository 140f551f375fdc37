package io.vcj.it;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The parent cgroup {@code /<namespace>} that containers run by ctr get (their cgroups_path is
 * {@code /<namespace>/<id>}). runc removes a container's own cgroup on delete but not this
 * parent, so without this every test namespace would leave one directory per hierarchy.
 */
final class NamespaceCgroups {

  private static final Logger LOG = LogManager.getLogger(NamespaceCgroups.class);
  private static final Path CGROUP_ROOT = Path.of("/sys/fs/cgroup");

  private final String namespace;

  NamespaceCgroups(String namespace) {
    this.namespace = namespace;
  }

  /**
   * rmdir in each hierarchy (v1 controllers and the v2 root). The kernel refuses to remove a
   * cgroup that has children or processes, so a cgroup still in use survives this.
   */
  void remove() throws IOException {
    for (Path hierarchy : hierarchies()) {
      Path cgroup = hierarchy.resolve(namespace);
      try {
        Files.delete(cgroup);
      } catch (NoSuchFileException alreadyGone) {
        // never created in this hierarchy, or reached before through a symlinked controller
      } catch (FileSystemException stillUsed) {
        // not empty or busy: another containerd with the same namespace still runs containers
        LOG.warn("leaving cgroup {}: {}", cgroup, stillUsed.getMessage());
      }
    }
  }

  private static List<Path> hierarchies() throws IOException {
    List<Path> hierarchies = new ArrayList<>(List.of(CGROUP_ROOT));
    try (Stream<Path> controllers = Files.list(CGROUP_ROOT)) {
      controllers.filter(Files::isDirectory).forEach(hierarchies::add);
    }
    return hierarchies;
  }
}
