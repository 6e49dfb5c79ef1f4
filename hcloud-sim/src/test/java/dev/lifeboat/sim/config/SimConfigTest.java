package dev.lifeboat.sim.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeboat.sim.domain.Settings;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A bad setting stops the simulator at start with a message that names the key. */
class SimConfigTest {

  @Test
  void defaultsAreTheDocumentedOnes() {
    Settings settings = SimProducers.settings(config(Map.of()));

    assertThat(settings.duration("stop_server")).isEqualTo(Duration.ofSeconds(2));
    assertThat(settings.duration("detach_volume")).isEqualTo(Duration.ofSeconds(3));
    assertThat(settings.duration("attach_volume")).isEqualTo(Duration.ofSeconds(3));
    assertThat(settings.rateLimit()).isEqualTo(new Settings.RateLimit(true, 3600, 1));
    assertThat(settings.domainErrorStatus()).isEqualTo(422);
  }

  @Test
  void emptyRateLimitBucketIsRefusedNamingTheKey() {
    SimConfig config = config(Map.of("hcloud-sim.rate-limit.capacity", "0"));

    assertThatThrownBy(() -> SimProducers.settings(config))
        .hasMessageContaining("hcloud-sim.rate-limit.capacity must be at least 1");
  }

  @Test
  void negativeDurationIsRefusedNamingTheKey() {
    SimConfig config = config(Map.of("hcloud-sim.durations.attach", "-1s"));

    assertThatThrownBy(() -> SimProducers.settings(config))
        .hasMessageContaining("hcloud-sim.durations.attach must not be negative");
  }

  @Test
  void domainErrorStatusOutside4xxIsRefusedNamingTheKey() {
    SimConfig config = config(Map.of("hcloud-sim.domain-error-status", "500"));

    assertThatThrownBy(() -> SimProducers.settings(config))
        .hasMessageContaining("hcloud-sim.domain-error-status must be a 4xx status");
  }

  private static SimConfig config(Map<String, String> properties) {
    SmallRyeConfig config =
        new SmallRyeConfigBuilder()
            .withMapping(SimConfig.class)
            .withSources(new PropertiesConfigSource(properties, "test", 500))
            .withConverter(Duration.class, 100, new DurationConverter())
            .build();
    return config.getConfigMapping(SimConfig.class);
  }
}
