package dev.lifeboat.adapter.hcloud;

import dev.lifeboat.adapter.config.AdapterConfig;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** Builds {@link HcloudToken} from configuration properties, outside Quarkus. */
public final class TokenFixture {

  private TokenFixture() {}

  public static HcloudToken token(Map<String, String> properties) {
    AdapterConfig config =
        new SmallRyeConfigBuilder()
            .withMapping(AdapterConfig.class)
            .withSources(new PropertiesConfigSource(properties, "test", 500))
            .withConverter(Duration.class, 100, new DurationConverter())
            .build()
            .getConfigMapping(AdapterConfig.class);
    return new HcloudToken(config);
  }

  public static Optional<String> authorization(HcloudToken token) {
    return token.authorization();
  }
}
