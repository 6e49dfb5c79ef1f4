package dev.lifeboat.adapter.hcloud;

import dev.lifeboat.adapter.config.AdapterConfig;
import io.quarkus.runtime.Startup;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The project token, read once from {@code lifeboat.hcloud.token} or {@code
 * lifeboat.hcloud.token-file}. Without one the adapter refuses to start (unless in dry-run); the
 * token is never logged, and {@link #toString()} masks it.
 */
@Singleton
@Startup
public class HcloudToken {

  private final Optional<String> token;

  HcloudToken(AdapterConfig config) {
    Optional<String> value = config.token().filter(t -> !t.isBlank());
    if (value.isEmpty() && config.tokenFile().isPresent()) {
      Path file = Path.of(config.tokenFile().get());
      try {
        value = Optional.of(Files.readString(file).trim()).filter(t -> !t.isEmpty());
      } catch (IOException e) {
        throw new IllegalStateException(
            "lifeboat.hcloud.token-file "
                + file
                + " cannot be read: "
                + e.getClass().getSimpleName());
      }
    }
    if (value.isEmpty() && !config.dryRun()) {
      throw new IllegalStateException(
          "lifeboat.hcloud.token (env LIFEBOAT_HCLOUD_TOKEN) or lifeboat.hcloud.token-file is"
              + " required unless lifeboat.hcloud.dry-run=true");
    }
    this.token = value;
  }

  /** The {@code Authorization} header value; empty without a token. */
  Optional<String> authorization() {
    return token.map(t -> "Bearer " + t);
  }

  @Override
  public String toString() {
    return token.isPresent() ? "HcloudToken[***]" : "HcloudToken[none]";
  }
}
