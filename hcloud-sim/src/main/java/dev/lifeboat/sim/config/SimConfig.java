package dev.lifeboat.sim.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** The simulator's configuration ({@code hcloud-sim.*}); see hcloud-sim/README.md. */
@ConfigMapping(prefix = "hcloud-sim")
public interface SimConfig {

  /** The only bearer token accepted; when absent, any non-empty token is. */
  Optional<String> token();

  /**
   * Tokens of other projects of the same account: they authenticate, but the project they read is
   * empty (every server, volume and action not found, every list empty), as a token copied from the
   * wrong project is answered by the real API.
   */
  Optional<java.util.List<String>> otherProjectTokens();

  /**
   * Read-only tokens of this project (a token made with the permission "Read"): they read as the
   * project's token does, and every mutating request is refused with 403 {@code token_readonly}.
   */
  Optional<java.util.List<String>> readOnlyTokens();

  /** The scenario file (YAML or JSON); when absent, the demo scenario shipped in the jar. */
  Optional<String> scenario();

  /** How long each kind of action runs. */
  Durations durations();

  /** The rate limit. */
  RateLimit rateLimit();

  /** Whether a simulated OS obeys an ACPI shutdown request. */
  @WithDefault("true")
  boolean shutdownObeyed();

  /** HTTP status of domain errors such as volume_already_attached (unconfirmed: 409 or 422). */
  @WithDefault("422")
  int domainErrorStatus();

  /** Action durations. */
  interface Durations {
    /** {@code stop_server} (poweroff). */
    @WithDefault("2s")
    Duration poweroff();

    /** {@code shutdown_server}. */
    @WithDefault("2s")
    Duration shutdown();

    /** {@code start_server} (poweron). */
    @WithDefault("2s")
    Duration poweron();

    /** {@code delete_server}. */
    @WithDefault("2s")
    Duration delete();

    /** {@code detach_volume}. */
    @WithDefault("3s")
    Duration detach();

    /** {@code attach_volume}. */
    @WithDefault("3s")
    Duration attach();
  }

  /** The token bucket of the project's requests. */
  interface RateLimit {
    /** Whether requests are limited at all. */
    @WithDefault("true")
    boolean enabled();

    /** The bucket's size (Hetzner: 3600 requests). */
    @WithDefault("3600")
    int capacity();

    /** Requests added back per second (Hetzner: 1). */
    @WithDefault("1")
    double refillPerSecond();
  }
}
