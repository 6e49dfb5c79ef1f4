package dev.lifeboat.orchestrator.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** The doctor's configuration ({@code lifeboat.doctor.*}); see docs/doctor.md. */
@ConfigMapping(prefix = "lifeboat.doctor")
public interface DoctorConfig {

  /** How often a doctor run is asked for; {@code 0s} asks for none (runs only on request). */
  @WithDefault("10m")
  Duration interval();

  /** How long a run waits for both sides before it is reported failed. */
  @WithDefault("1m")
  Duration answerWithin();

  /**
   * How long a finding that is also what an attach or detach in flight looks like must hold before
   * it is reported.
   */
  @WithDefault("2m")
  Duration settle();

  /** How long a pod waits for a volume attached to another server before it is a finding. */
  @WithDefault("5m")
  Duration multiAttachAfter();

  /**
   * The kinds of finding whose repair runs without a person asking, as soon as a run reports one,
   * comma-separated ({@code VOLUME_ON_SERVER_WITHOUT_NODE} or {@code
   * volume-on-server-without-node}); empty (the default) repairs nothing unasked.
   */
  Optional<String> autoRepair();
}
