package io.vcj.it;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A config.toml that keeps a test containerd entirely inside one directory and starts only the
 * plugins tests use: no CRI unless a test enables it, no exotic snapshotters, nothing under /opt.
 * (The v1 runtime stays: containerd 1.6's tasks service refuses to start without one.)
 *
 * @param enabledPlugins plugins of the usually disabled ones that this containerd runs, e.g. CRI's
 */
record ContainerdConfig(Path dir, String extraToml, Set<String> enabledPlugins) {

  static final String CRI_PLUGIN = "io.containerd.grpc.v1.cri";

  private static final List<String> DISABLED_PLUGINS = List.of(
      CRI_PLUGIN,
      "io.containerd.internal.v1.opt",
      "io.containerd.snapshotter.v1.aufs",
      "io.containerd.snapshotter.v1.btrfs",
      "io.containerd.snapshotter.v1.devmapper",
      "io.containerd.snapshotter.v1.zfs",
      "io.containerd.tracing.processor.v1.otlp");

  Path root() {
    return dir.resolve("root");
  }

  Path state() {
    return dir.resolve("state");
  }

  Path temp() {
    return dir.resolve("tmp");
  }

  Path grpcAddress() {
    return dir.resolve("containerd.sock");
  }

  /** Same default containerd derives itself, written out so the config says everything. */
  Path ttrpcAddress() {
    return dir.resolve("containerd.sock.ttrpc");
  }

  String toml() {
    return """
        version = 2
        root = %s
        state = %s
        temp = %s
        disabled_plugins = [%s]

        [grpc]
          address = %s

        [ttrpc]
          address = %s

        [debug]
          level = "debug"
        %s
        """.formatted(
        quoted(root()), quoted(state()), quoted(temp()),
        DISABLED_PLUGINS.stream().filter(id -> !enabledPlugins.contains(id)).map(ContainerdConfig::quoted).collect(Collectors.joining(", ")),
        quoted(grpcAddress()), quoted(ttrpcAddress()), extraToml);
  }

  private static String quoted(Object value) {
    return "\"" + value.toString().replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
