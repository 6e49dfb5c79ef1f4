package dev.lifeboat.adapter.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** The adapter's configuration ({@code lifeboat.hcloud.*}); see hcloud-adapter/README.md. */
@ConfigMapping(prefix = "lifeboat.hcloud")
public interface AdapterConfig {

  /** The API's base URL: Hetzner's, or hcloud-sim's ({@code http://127.0.0.1:8765/v1}). */
  @WithDefault("https://api.hetzner.cloud/v1")
  String url();

  /** The project token (env {@code LIFEBOAT_HCLOUD_TOKEN}); never logged. */
  Optional<String> token();

  /** A file holding the token, such as a mounted Kubernetes secret; used when no token is set. */
  Optional<String> tokenFile();

  /** Observe but never mutate: results say what would have been called. */
  @WithDefault("false")
  boolean dryRun();

  /**
   * How long a read of a server answers later questions about it without a new read (the fence
   * still holds, the volume is still listed, the attach target still runs); 0 reads before every
   * command. At most 30 s. See docs/design.md, "Request economy".
   */
  @WithDefault("10s")
  Duration sightingMaxAge();

  /**
   * How long the Hetzner side of a doctor run may take to read (docs/doctor.md): a reading the
   * budget holds up longer is given up, its waiting calls withdrawn, and the run answered with why.
   * Between 1s and 2m.
   */
  @WithDefault("45s")
  Duration doctorReadWithin();

  /** Waiting for actions. */
  Poll poll();

  /** The rate-limit budget. */
  Budget budget();

  /** Action polling. */
  interface Poll {
    /** First interval after an action is registered. */
    @WithDefault("250ms")
    Duration initialInterval();

    /** Longest interval while nothing changes. */
    @WithDefault("2s")
    Duration maxInterval();

    /**
     * How long an attach's first question may wait for a fence's or detach's poll due after it, to
     * ask about both in one request (0: never waits).
     */
    @WithDefault("3500ms")
    Duration attachSlack();

    /** How long to wait for one action before the command fails (retryable). */
    @WithDefault("10m")
    Duration actionTimeout();
  }

  /** How the adapter spends the project's request budget. */
  interface Budget {
    /**
     * Below this many remaining requests, calls are paced and served by priority: fencing first,
     * then detaches, attaches, and reads (polls) last.
     */
    @WithDefault("60")
    int reserve();
  }
}
