package dev.lifeboat.sim.domain;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * How the simulator behaves; set at start from configuration and changeable at run time.
 *
 * @param durations how long each action command runs, by command ({@code attach_volume}, ...)
 * @param rateLimit the token bucket of the project's requests
 * @param shutdownObeyed whether a simulated OS obeys an ACPI shutdown request
 * @param domainErrorStatus the HTTP status of domain errors such as {@code volume_already_attached}
 *     (unconfirmed: 409 or 422)
 */
public record Settings(
    Map<String, Duration> durations,
    RateLimit rateLimit,
    boolean shutdownObeyed,
    int domainErrorStatus) {

  /** The action commands the simulator runs. */
  public static final List<String> COMMANDS =
      List.of(
          "attach_volume",
          "detach_volume",
          "stop_server",
          "shutdown_server",
          "start_server",
          "delete_server");

  /**
   * The rate limit.
   *
   * @param enabled whether requests are limited at all
   * @param capacity the bucket's size (Hetzner: 3600)
   * @param refillPerSecond requests added back per second (Hetzner: 1)
   */
  public record RateLimit(boolean enabled, int capacity, double refillPerSecond) {
    public RateLimit {
      if (capacity < 1 || refillPerSecond <= 0) {
        throw new IllegalArgumentException(
            "rate limit capacity must be at least 1 and refill-per-second above 0");
      }
    }
  }

  public Settings {
    durations = Map.copyOf(durations);
    for (String command : COMMANDS) {
      Duration duration = durations.get(command);
      if (duration == null || duration.isNegative()) {
        throw new IllegalArgumentException(
            "the duration of " + command + " must be set and not negative");
      }
    }
    if (domainErrorStatus < 400 || domainErrorStatus > 499) {
      throw new IllegalArgumentException(
          "domain-error-status must be a 4xx status, was " + domainErrorStatus);
    }
  }

  /** How long an action of this command runs. */
  public Duration duration(String command) {
    // A command without a duration of its own (change_protection) ends at once.
    return durations.getOrDefault(command, Duration.ZERO);
  }
}
