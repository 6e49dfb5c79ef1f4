package dev.lifeboat.sim.config;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.lifeboat.sim.domain.Cloud;
import dev.lifeboat.sim.domain.Faults;
import dev.lifeboat.sim.domain.RequestLog;
import dev.lifeboat.sim.domain.Scenario;
import dev.lifeboat.sim.domain.Settings;
import dev.lifeboat.sim.domain.TokenBucket;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * Builds the simulated project from configuration; a bad setting or scenario stops the simulator at
 * start with a message that names the key or the field.
 */
public class SimProducers {

  /** The demo scenario, shipped in the jar. */
  public static final String DEMO = "scenarios/demo.yaml";

  private static final ObjectMapper SCENARIO_READER =
      new ObjectMapper(new YAMLFactory())
          .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  @Produces
  @Singleton
  Clock clock() {
    return Clock.systemUTC();
  }

  @Produces
  @Singleton
  Faults faults() {
    return new Faults();
  }

  @Produces
  @Singleton
  RequestLog requestLog() {
    return new RequestLog();
  }

  @Produces
  @Singleton
  InitialScenario initialScenario(SimConfig config) {
    return new InitialScenario(
        config.scenario().map(SimProducers::readFile).orElseGet(SimProducers::demo));
  }

  @Produces
  @Singleton
  @Startup // a bad setting or scenario must stop the simulator at start, not at the first request
  Cloud cloud(Clock clock, SimConfig config, Faults faults, InitialScenario scenario) {
    try {
      return new Cloud(clock, settings(config), faults, scenario.scenario());
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(
          "hcloud-sim.scenario "
              + config.scenario().orElse(DEMO)
              + " is not valid: "
              + e.getMessage(),
          e);
    }
  }

  @Produces
  @Singleton
  TokenBucket tokenBucket(Clock clock, Cloud cloud) {
    return new TokenBucket(cloud.settings().rateLimit(), clock.instant());
  }

  /** The scenario the simulator started from, for resets. */
  public record InitialScenario(Scenario scenario) {}

  /** Reads a scenario from YAML or JSON text. */
  public static Scenario parse(String text, String origin) {
    try {
      return SCENARIO_READER.readValue(text, Scenario.class);
    } catch (com.fasterxml.jackson.core.JacksonException e) {
      throw new IllegalArgumentException(
          "scenario " + origin + " cannot be read: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new IllegalArgumentException("scenario " + origin + " cannot be read: " + e, e);
    }
  }

  private static Scenario readFile(String file) {
    try {
      return parse(Files.readString(Path.of(file)), file);
    } catch (IOException e) {
      throw new IllegalStateException("hcloud-sim.scenario: cannot read " + file + ": " + e, e);
    }
  }

  private static Scenario demo() {
    try (InputStream in = SimProducers.class.getClassLoader().getResourceAsStream(DEMO)) {
      if (in == null) {
        throw new IllegalStateException(DEMO + " is missing from the jar");
      }
      return parse(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8), DEMO);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + DEMO, e);
    }
  }

  static Settings settings(SimConfig config) {
    SimConfig.Durations d = config.durations();
    Map<String, Duration> durations =
        Map.of(
            "stop_server", nonNegative(d.poweroff(), "hcloud-sim.durations.poweroff"),
            "shutdown_server", nonNegative(d.shutdown(), "hcloud-sim.durations.shutdown"),
            "start_server", nonNegative(d.poweron(), "hcloud-sim.durations.poweron"),
            "delete_server", nonNegative(d.delete(), "hcloud-sim.durations.delete"),
            "detach_volume", nonNegative(d.detach(), "hcloud-sim.durations.detach"),
            "attach_volume", nonNegative(d.attach(), "hcloud-sim.durations.attach"));
    SimConfig.RateLimit limit = config.rateLimit();
    if (limit.capacity() < 1) {
      throw new IllegalStateException(
          "hcloud-sim.rate-limit.capacity must be at least 1, was " + limit.capacity());
    }
    if (limit.refillPerSecond() <= 0) {
      throw new IllegalStateException(
          "hcloud-sim.rate-limit.refill-per-second must be above 0, was "
              + limit.refillPerSecond());
    }
    if (config.domainErrorStatus() < 400 || config.domainErrorStatus() > 499) {
      throw new IllegalStateException(
          "hcloud-sim.domain-error-status must be a 4xx status, was " + config.domainErrorStatus());
    }
    return new Settings(
        durations,
        new Settings.RateLimit(limit.enabled(), limit.capacity(), limit.refillPerSecond()),
        config.shutdownObeyed(),
        config.domainErrorStatus());
  }

  private static Duration nonNegative(Duration duration, String key) {
    if (duration.isNegative()) {
      throw new IllegalStateException(key + " must not be negative, was " + duration);
    }
    return duration;
  }
}
