package dev.lifeboat.audit.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The audit service's configuration ({@code lifeboat.audit.*}); see audit-service/README.md. */
@ConfigMapping(prefix = "lifeboat.audit")
public interface AuditConfig {

  /** How long an incident is kept after its last message. */
  @WithDefault("90d")
  Duration retention();

  /** How often old incidents are deleted. */
  @WithDefault("1h")
  Duration retentionCheck();

  /** How long {@code GET /api/doctor?refresh=true} waits for the run's report. */
  @WithDefault("90s")
  Duration doctorWait();

  /**
   * A refresh within this of the last one asked here joins that run instead of paying for another;
   * {@code 0s} joins none.
   */
  @WithDefault("30s")
  Duration doctorJoin();
}
