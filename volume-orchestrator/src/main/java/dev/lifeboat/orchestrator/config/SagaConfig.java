package dev.lifeboat.orchestrator.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** The sagas' configuration ({@code lifeboat.saga.*}); see volume-orchestrator/README.md. */
@ConfigMapping(prefix = "lifeboat.saga")
public interface SagaConfig {

  /** Fencing of lost nodes' servers. */
  Fencing fencing();

  /** How many volume flows of one incident run at once. */
  @WithDefault("8")
  int maxParallelVolumes();

  /**
   * How many volume flows of all incidents may run at once, on any number of instances (a person's
   * retry may pass it); a fenced incident waits for its share, and once granted is never held back.
   */
  @WithDefault("32")
  int maxActiveFlows();

  /**
   * The share of the cluster's nodes that concurrent incidents may fence; past it, a new incident
   * waits for a person (backs up node-watcher's storm guard).
   */
  @WithDefault("0.3333")
  double maxFencingShare();

  /** Run every saga's logic and record what it would do, without sending any command. */
  @WithDefault("false")
  boolean dryRun();

  /**
   * How often a flow held by a pause (maintenance), or an incident refused flow slots, looks again.
   */
  @WithDefault("5s")
  Duration pauseRecheck();

  /** How often deadlines and retries are checked (the wall-clock punctuator). */
  @WithDefault("1s")
  Duration tickInterval();

  /** How long an ended incident stays in the store (and on the API) before it is removed. */
  @WithDefault("7d")
  Duration retention();

  /** Retries of every step. */
  Retry retry();

  /** How the project's Hetzner budget, when short, limits the volume flows run at once. */
  Budget budget();

  /** How long one attempt of each step waits for its result. */
  Timeout timeout();

  /** Planned removals. */
  Removal removal();

  /** Planned removals. */
  interface Removal {
    /**
     * How long PodDisruptionBudgets may keep refusing a volume's eviction (asked again with the
     * retry back-off) before that volume stops and waits for a person; the server is then left
     * alone.
     */
    @WithDefault("10m")
    Duration budgetPatience();
  }

  /** Action times the drill's estimates use (defaults: hcloud-sim's, close to Hetzner's). */
  DrillTimes drill();

  /**
   * While the Hetzner budget is short (the adapter reports it), no more volume flows run at once
   * than it can pay for within {@code horizon}, at {@code requests-per-volume} each.
   */
  interface Budget {
    /** Hetzner requests one moved volume costs (docs/benchmarks.md: 2.75 to 3.50 measured). */
    @WithDefault("4")
    int requestsPerVolume();

    /** How soon the flows admitted should have been paid for: well under timeout.detach. */
    @WithDefault("45s")
    Duration horizon();
  }

  /** Action times for the drill. */
  interface DrillTimes {
    /** A poweroff action. */
    @WithDefault("2s")
    Duration poweroff();

    /** A server deletion. */
    @WithDefault("2s")
    Duration delete();

    /** A volume detach. */
    @WithDefault("3s")
    Duration detach();

    /** A volume attach. */
    @WithDefault("3s")
    Duration attach();

    /** One cluster step: taint, force deletion, scheduling, a pod becoming Ready. */
    @WithDefault("2s")
    Duration cluster();
  }

  /** Fencing. */
  interface Fencing {
    /** {@code poweroff}, {@code delete} or {@code none}. */
    @WithDefault("poweroff")
    String policy();

    /**
     * Labels ({@code key=value,key=value}) of nodes in disposable pools, fenced by deleting their
     * server; required with policy {@code delete}, optional otherwise.
     */
    Optional<String> deletePoolSelector();
  }

  /** Retries: exponential backoff with jitter. */
  interface Retry {
    /** Attempts in all, the first included. */
    @WithDefault("5")
    int maxAttempts();

    /** The wait before the second attempt. */
    @WithDefault("1s")
    Duration initialBackoff();

    /** The longest wait between attempts. */
    @WithDefault("30s")
    Duration maxBackoff();

    /** The share (0 to 1) of a wait that is randomly taken off. */
    @WithDefault("0.3")
    double jitter();
  }

  /** Per-step timeouts. */
  interface Timeout {
    /** Power off or delete the server (the adapter waits for the Hetzner action). */
    @WithDefault("90s")
    Duration fence();

    /** Detach a volume. */
    @WithDefault("90s")
    Duration detach();

    /** Each cluster command of RELEASE (taint, force-delete, delete attachments). */
    @WithDefault("30s")
    Duration release();

    /** Wait for the replacement pod to be bound. */
    @WithDefault("120s")
    Duration reschedule();

    /** Attach a volume. */
    @WithDefault("90s")
    Duration attach();

    /** Wait for the replacement pod to be Ready. */
    @WithDefault("120s")
    Duration verify();

    /**
     * A planned removal: evict a volume's pods and wait until they are gone from the node; one
     * PodDisruptionBudget refusal after another for this long, {@code retry.max-attempts} times,
     * stops the volume (it stays, the server is left alone).
     */
    @WithDefault("60s")
    Duration evict();

    /** A planned removal's end: drain the node's other pods, delete or power off its server. */
    @WithDefault("120s")
    Duration finish();
  }
}
