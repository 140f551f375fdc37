package io.vcj.it.image;

import io.vcj.it.BusyboxRootfs;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

/**
 * Builds a one-layer busybox image as an OCI image layout tar, what {@code ctr images import}
 * takes without any registry. The layer is the {@link BusyboxRootfs} plus the files added here;
 * the image config carries entrypoint, cmd, env, working dir and user, as a Dockerfile would.
 *
 * <pre>{@code
 * ImageArchive image = OciImageTar.busybox(busybox).name("docker.io/vcj-it/app:1").env("A=b")
 *     .workingDir("/srv").file("/srv/hello.txt", "hi\n").writeTo(dir.resolve("app.tar"));
 * String ref = image.importInto(containerd);     // ctr run ... ref id cmd
 * }</pre>
 *
 * <p>The tars are made by the host's GNU {@code tar}, owned by root with fixed times.
 */
public final class OciImageTar {

  /** Fully qualified, so CRI's normalized lookups ({@code vcj-it/busybox:latest}) find it too. */
  public static final String DEFAULT_NAME = "docker.io/vcj-it/busybox:latest";

  private static final String PATH = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

  private final Path busybox;
  private final List<String> env = new ArrayList<>(List.of(PATH));
  private final Map<String, ExtraFile> files = new LinkedHashMap<>();
  private String name = DEFAULT_NAME;
  private List<String> entrypoint = List.of();
  private List<String> cmd = List.of("/bin/sh");
  private String workingDir = "/";
  private String user = "";

  private OciImageTar(Path busybox) {
    this.busybox = busybox;
  }

  /** An image around the static busybox at {@code busybox} (see HostRequirements.assumeStaticBusybox). */
  public static OciImageTar busybox(Path busybox) {
    return new OciImageTar(busybox);
  }

  /** The full reference containerd lists after import, e.g. {@code docker.io/vcj-it/busybox:latest}. */
  public OciImageTar name(String reference) {
    int slash = reference.lastIndexOf('/');
    if (reference.indexOf(':', slash + 1) < 0) {
      throw new IllegalArgumentException("image name " + reference + " has no tag; containerd would not match it");
    }
    name = reference;
    return this;
  }

  public OciImageTar entrypoint(String... words) {
    entrypoint = List.of(words);
    return this;
  }

  public OciImageTar cmd(String... words) {
    cmd = List.of(words);
    return this;
  }

  /** Adds {@code NAME=value} to the image's environment (after PATH). */
  public OciImageTar env(String assignment) {
    if (assignment.indexOf('=') < 1) {
      throw new IllegalArgumentException("env entry " + assignment + " is not NAME=value");
    }
    env.add(assignment);
    return this;
  }

  /** The container's working directory; created in the layer if no file put it there. */
  public OciImageTar workingDir(String dir) {
    workingDir = absolute(dir);
    return this;
  }

  /** {@code uid[:gid]} or a name; the image has no /etc/passwd unless one is added as a file. */
  public OciImageTar user(String userSpec) {
    user = userSpec;
    return this;
  }

  /** A regular file with mode 0644 in the layer. */
  public OciImageTar file(String path, String content) {
    return file(path, content.getBytes(StandardCharsets.UTF_8), "rw-r--r--");
  }

  /** A regular file in the layer, with {@code permissions} like {@code rwxr-xr-x}. */
  public OciImageTar file(String path, byte[] content, String permissions) {
    files.put(absolute(path), new ExtraFile(content.clone(), permissions));
    return this;
  }

  /** Writes the image tar to {@code tar} (scratch space is a sibling dir, removed afterwards). */
  public ImageArchive writeTo(Path tar) throws IOException, InterruptedException {
    Path scratch = Files.createTempDirectory(tar.toAbsolutePath().getParent(), "oci-build");
    try {
      OciLayout layout = new OciLayout(scratch.resolve("layout"));
      Path uncompressed = scratch.resolve("layer.tar");
      HostTar.create(layerTree(scratch.resolve("rootfs")), uncompressed, List.of("."));
      String diffId = OciLayout.sha256(uncompressed);
      OciLayout.Descriptor layer = layout.putFile("application/vnd.oci.image.layer.v1.tar+gzip",
          gzip(uncompressed, scratch.resolve("layer.tar.gz")));
      OciLayout.Descriptor config = layout.putJson("application/vnd.oci.image.config.v1+json", config(diffId));
      OciLayout.Descriptor manifest = layout.putJson("application/vnd.oci.image.manifest.v1+json",
          manifest(config, layer));
      layout.writeIndex(index(manifest));
      HostTar.create(layout.dir(), tar, List.of("oci-layout", "index.json", "blobs"));
      return new ImageArchive(name, tar);
    } finally {
      deleteTree(scratch);
    }
  }

  private Path layerTree(Path rootfs) throws IOException {
    BusyboxRootfs.create(busybox, rootfs);
    Files.createDirectories(rootfs.resolve(workingDir.substring(1)));
    for (Map.Entry<String, ExtraFile> entry : files.entrySet()) {
      Path file = rootfs.resolve(entry.getKey().substring(1));
      Files.createDirectories(file.getParent());
      Files.write(file, entry.getValue().content());
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(entry.getValue().permissions()));
    }
    return rootfs;
  }

  private Map<String, Object> config(String diffId) {
    Map<String, Object> process = new LinkedHashMap<>();
    process.put("User", user);
    process.put("Env", env);
    process.put("Entrypoint", entrypoint);
    process.put("Cmd", cmd);
    process.put("WorkingDir", workingDir);
    Map<String, Object> config = platform();
    config.put("config", process);
    config.put("rootfs", Map.of("type", "layers", "diff_ids", List.of(diffId)));
    return config;
  }

  private static Map<String, Object> manifest(OciLayout.Descriptor config, OciLayout.Descriptor layer) {
    Map<String, Object> manifest = new LinkedHashMap<>();
    manifest.put("schemaVersion", 2);
    manifest.put("mediaType", "application/vnd.oci.image.manifest.v1+json");
    manifest.put("config", config.json());
    manifest.put("layers", List.of(layer.json()));
    return manifest;
  }

  /**
   * containerd 1.6's import names the image after {@code io.containerd.image.name}; other
   * tools read {@code org.opencontainers.image.ref.name}, the tag.
   */
  private Map<String, Object> index(OciLayout.Descriptor manifest) {
    Map<String, Object> entry = manifest.json();
    entry.put("platform", platform());
    entry.put("annotations", Map.of(
        "io.containerd.image.name", name,
        "org.opencontainers.image.ref.name", name.substring(name.lastIndexOf(':') + 1)));
    Map<String, Object> index = new LinkedHashMap<>();
    index.put("schemaVersion", 2);
    index.put("mediaType", "application/vnd.oci.image.index.v1+json");
    index.put("manifests", List.of(entry));
    return index;
  }

  /** The host's platform in OCI's words, so import unpacks it for the default platform. */
  private static Map<String, Object> platform() {
    String arch = System.getProperty("os.arch");
    Map<String, Object> platform = new LinkedHashMap<>();
    platform.put("architecture", switch (arch) {
      case "amd64", "x86_64" -> "amd64";
      case "aarch64" -> "arm64";
      default -> arch;
    });
    platform.put("os", "linux");
    return platform;
  }

  private static Path gzip(Path file, Path gzipped) throws IOException {
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gzipped))) {
      Files.copy(file, out);
    }
    return gzipped;
  }

  private static String absolute(String path) {
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException("image path " + path + " is not absolute");
    }
    return path;
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> tree = Files.walk(dir)) {
      for (Path path : tree.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }

  private record ExtraFile(byte[] content, String permissions) {
  }
}
