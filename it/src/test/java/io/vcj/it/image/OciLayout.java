package io.vcj.it.image;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
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

  static String sha256(Path file) throws IOException {
    MessageDigest sha256;
    try {
      sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), sha256)) {
      in.transferTo(OutputStream.nullOutputStream());
    }
    return "sha256:" + HexFormat.of().formatHex(sha256.digest());
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
