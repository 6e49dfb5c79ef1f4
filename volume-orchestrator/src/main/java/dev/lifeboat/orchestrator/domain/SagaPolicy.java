package dev.lifeboat.orchestrator.domain;

import dev.lifeboat.events.saga.Step;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/**
 * The configured behaviour of every saga.
 *
 * @param fencing how servers are fenced unless {@code deletePoolLabels} selects the node
 * @param deletePoolLabels labels (all must match) of nodes in disposable pools, fenced by deleting
 *     their server; empty selects none
 * @param steps timeout and retry per step
 * @param maxParallelVolumes how many volume flows of one incident run at once
 * @param maxActiveFlows how many volume flows of all incidents may run at once (flow slots: a
 *     fenced incident is granted up to the room the others leave, and once granted never held back,
 *     so incidents cannot wait on each other)
 * @param maxFencingShare the share of the cluster's nodes that may be fenced by concurrent
 *     incidents; past it a new incident waits for a person
 * @param pauseRecheck how often a flow held by a pause (maintenance) looks again, and an incident
 *     refused flow slots asks again
 * @param dryRun run the logic and record what would be done, without sending any command
 */
public record SagaPolicy(
    FencePolicy fencing,
    Map<String, String> deletePoolLabels,
    Map<Step, StepPolicy> steps,
    int maxParallelVolumes,
    int maxActiveFlows,
    double maxFencingShare,
    Duration pauseRecheck,
    boolean dryRun) {

  public SagaPolicy {
    deletePoolLabels = Map.copyOf(deletePoolLabels);
    steps = new EnumMap<>(steps);
    for (Step step : Step.values()) {
      if (step != Step.PRE_FLIGHT && !steps.containsKey(step)) {
        throw new IllegalArgumentException("no policy for step " + step);
      }
    }
    if (fencing == FencePolicy.DELETE && deletePoolLabels.isEmpty()) {
      throw new IllegalArgumentException(
          "fencing DELETE needs the labels that select disposable pools");
    }
    if (maxParallelVolumes < 1) {
      throw new IllegalArgumentException(
          "maxParallelVolumes must be at least 1, was " + maxParallelVolumes);
    }
    if (maxActiveFlows < 1) {
      throw new IllegalArgumentException(
          "maxActiveFlows must be at least 1, was " + maxActiveFlows);
    }
    if (maxFencingShare <= 0 || maxFencingShare > 1) {
      throw new IllegalArgumentException(
          "maxFencingShare must be in (0, 1], was " + maxFencingShare);
    }
  }

  /** Lifeboat's defaults: power off, steps sized for Hetzner's action times. */
  public static SagaPolicy defaults() {
    Map<Step, StepPolicy> steps = new EnumMap<>(Step.class);
    Duration second = Duration.ofSeconds(1);
    Duration half = Duration.ofSeconds(30);
    steps.put(Step.FENCE, new StepPolicy(Duration.ofSeconds(90), 5, second, half, 0.3));
    steps.put(Step.DETACH, new StepPolicy(Duration.ofSeconds(90), 5, second, half, 0.3));
    steps.put(Step.RELEASE, new StepPolicy(Duration.ofSeconds(30), 5, second, half, 0.3));
    steps.put(Step.RESCHEDULE, new StepPolicy(Duration.ofSeconds(120), 3, second, half, 0.3));
    steps.put(Step.ATTACH, new StepPolicy(Duration.ofSeconds(90), 5, second, half, 0.3));
    steps.put(Step.VERIFY, new StepPolicy(Duration.ofSeconds(120), 3, second, half, 0.3));
    steps.put(
        Step.EVICT,
        StepPolicy.patient(Duration.ofSeconds(60), Duration.ofMinutes(10), second, half, 0.3));
    steps.put(Step.FINISH, new StepPolicy(Duration.ofSeconds(120), 5, second, half, 0.3));
    return new SagaPolicy(
        FencePolicy.POWEROFF, Map.of(), steps, 8, 32, 1.0 / 3, Duration.ofSeconds(5), false);
  }

  /** The policy of a step. */
  public StepPolicy step(Step step) {
    return steps.get(step);
  }

  /** The fencing of a node with these labels. */
  public FencePolicy fencingFor(Map<String, String> nodeLabels) {
    if (!deletePoolLabels.isEmpty()
        && deletePoolLabels.entrySet().stream()
            .allMatch(label -> label.getValue().equals(nodeLabels.get(label.getKey())))) {
      return FencePolicy.DELETE;
    }
    return fencing == FencePolicy.DELETE ? FencePolicy.POWEROFF : fencing;
  }

  /**
   * How many incidents may be fencing at once in a cluster of this many nodes (at least one). A
   * share written in decimals (0.3333) means the fraction it stands for, so a hundredth of a node
   * is given to rounding.
   */
  public int fencingCap(int knownNodes) {
    return Math.max(1, (int) Math.floor(knownNodes * maxFencingShare + 0.01));
  }

  /** The same policy in dry run: every step recorded as it would go, no command sent. */
  public SagaPolicy inDryRun() {
    return new SagaPolicy(
        fencing,
        deletePoolLabels,
        steps,
        maxParallelVolumes,
        maxActiveFlows,
        maxFencingShare,
        pauseRecheck,
        true);
  }
}
