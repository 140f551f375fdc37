package io.vcj.it.image;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vcj.it.Sha256;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An OCI image layout directory being filled: content-addressed blobs under
 * {@code blobs/sha256}, then {@code oci-layout} and {@code index.json} at the top.
 */
final class OciLayout {

  static final ObjectMapper JSON = new ObjectMapper();

  private final Path dir;

  OciLayout(Path dir) throws IOException {
    this.dir = Files.createDirectories(dir);
    Files.createDirectories(blobs());
  }

  Path dir() {
    return dir;
  }

  /** Stores {@code document} as JSON; returns its descriptor. */
  Descriptor putJson(String mediaType, Object document) throws IOException {
    Path staged = Files.createTempFile(dir, "blob", ".json");
    Files.write(staged, JSON.writeValueAsBytes(document));
    return putFile(mediaType, staged);
  }

  /** Moves {@code file} into the blob store under its digest; returns its descriptor. */
  Descriptor putFile(String mediaType, Path file) throws IOException {
    String digest = sha256(file);
    long size = Files.size(file);
    Files.move(file, blobs().resolve(digest.substring("sha256:".length())), StandardCopyOption.REPLACE_EXISTING);
    return new Descriptor(mediaType, digest, size);
  }

  void writeIndex(Map<String, Object> index) throws IOException {
    Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
    Files.write(dir.resolve("index.json"), JSON.writeValueAsBytes(index));
  }

  /** The digest OCI documents use: {@code sha256:<hex>}. */
  static String sha256(Path file) throws IOException {
    return "sha256:" + Sha256.of(file);
  }

  private Path blobs() {
    return dir.resolve("blobs/sha256");
  }

  /** What OCI documents use to point at a blob. */
  record Descriptor(String mediaType, String digest, long size) {

    Map<String, Object> json() {
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("mediaType", mediaType);
      json.put("digest", digest);
      json.put("size", size);
      return json;
    }
  }
}
