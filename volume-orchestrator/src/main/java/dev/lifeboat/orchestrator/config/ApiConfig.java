package dev.lifeboat.orchestrator.config;

import io.smallrye.config.ConfigMapping;
import java.util.Optional;

/** The REST API's configuration ({@code lifeboat.api.*}). */
@ConfigMapping(prefix = "lifeboat.api")
public interface ApiConfig {

  /**
   * The bearer token that mutating endpoints require (env {@code LIFEBOAT_API_TOKEN}); without one,
   * they answer 403.
   */
  Optional<String> token();
}
