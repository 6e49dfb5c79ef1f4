package dev.lifeboat.audit.messaging;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeboat.audit.config.AuditConfig;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A bad join of doctor refreshes stops the service at start, naming its key. */
class DoctorRequestsConfigTest {

  @Test
  void aNegativeJoinIsRefusedNamingTheKeyBeforeAnyBrokerIsAsked() {
    AuditConfig config =
        new SmallRyeConfigBuilder()
            .withMapping(AuditConfig.class)
            .withSources(
                new PropertiesConfigSource(
                    Map.of("lifeboat.audit.doctor-join", "-5s"), "test", 500))
            .withConverter(Duration.class, 100, new DurationConverter())
            .build()
            .getConfigMapping(AuditConfig.class);

    assertThatThrownBy(() -> new DoctorRequests(Map.of(), "lifeboat.", config, Clock.systemUTC()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("lifeboat.audit.doctor-join")
        .hasMessageContaining("-5S");
  }
}
