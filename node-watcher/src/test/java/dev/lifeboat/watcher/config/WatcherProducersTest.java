package dev.lifeboat.watcher.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeboat.watcher.domain.DetectionRules;
import dev.lifeboat.watcher.domain.NodeFacts;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A bad value stops the service at start, naming its key; the defaults are the documented ones. */
class WatcherProducersTest {

  private final WatcherProducers producers = new WatcherProducers();

  @Test
  void defaultsAreTheDocumentedGracesAndExcludeControlPlaneNodes() {
    WatcherConfig config = config(Map.of());
    DetectionRules rules = producers.rules(config);

    assertThat(rules.leaseGrace()).isEqualTo(Duration.ofSeconds(20));
    assertThat(rules.notReadyGrace()).isEqualTo(Duration.ofSeconds(30));
    assertThat(rules.allowedLosses(6)).isEqualTo(2);
    assertThat(
            producers
                .excluded(config)
                .excludes(
                    new NodeFacts(
                        "m",
                        "u",
                        null,
                        Map.of("node-role.kubernetes.io/control-plane", "true"),
                        Map.of(),
                        "True",
                        Instant.EPOCH,
                        false,
                        List.of())))
        .isTrue();
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource({
    "lifeboat.watcher.lease-grace, -5s",
    "lifeboat.watcher.lease-suspect, 0s",
    "lifeboat.watcher.not-ready-grace, -1s",
    "lifeboat.watcher.storm.max-lost-share, 0",
    "lifeboat.watcher.storm.window, -1m",
  })
  void aBadValueIsRefusedNamingItsKey(String key, String value) {
    WatcherConfig config = config(Map.of(key, value));

    assertThatThrownBy(() -> producers.rules(config))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(key);
  }

  private static WatcherConfig config(Map<String, String> properties) {
    return new SmallRyeConfigBuilder()
        .withMapping(WatcherConfig.class)
        .withSources(new PropertiesConfigSource(properties, "test", 500))
        .withConverter(Duration.class, 100, new DurationConverter())
        .build()
        .getConfigMapping(WatcherConfig.class);
  }
}
