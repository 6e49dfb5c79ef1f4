package dev.lifeboat.orchestrator.domain;

import dev.lifeboat.events.FailureCodes;
import dev.lifeboat.events.node.NodeGone;
import dev.lifeboat.events.saga.Step;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A rehearsal: what the saga would do if this node were lost now, from its last known inventory,
 * without sending anything.
 */
public final class Drill {

  /** Requests the adapter makes per Hetzner action: observe (GET), act (POST), poll (GET). */
  static final int REQUESTS_PER_ACTION = 3;

  private final SagaPolicy policy;
  private final ActionTimes times;

  /**
   * How long things take, for the estimate.
   *
   * @param poweroff a poweroff action
   * @param delete a server deletion
   * @param detach a volume detach
   * @param attach a volume attach
   * @param cluster one cluster step (taint, force-delete, scheduling, pod start)
   */
  public record ActionTimes(
      Duration poweroff, Duration delete, Duration detach, Duration attach, Duration cluster) {}

  /**
   * One volume in the plan.
   *
   * @param volumeId the Hetzner volume id
   * @param location its location
   * @param outcome {@code moves}, {@code skipped: <why>} or the reason it cannot move
   * @param steps the steps it would go through, as the live saga records them
   * @param likelyNode the first eligible node in its location, where its pod may land
   */
  public record PlannedVolume(
      long volumeId, String location, String outcome, List<String> steps, String likelyNode) {}

  /**
   * The plan.
   *
   * @param node the node's name
   * @param serverId its server
   * @param fencing how it would be fenced; {@code none} when nothing would be
   * @param volumes every volume, in inventory order
   * @param hetznerRequests the Hetzner API requests it would take, at most
   * @param expectedDuration from the decision to the last pod Ready, estimated
   */
  public record Plan(
      String node,
      long serverId,
      String fencing,
      List<PlannedVolume> volumes,
      int hetznerRequests,
      Duration expectedDuration) {}

  public Drill(SagaPolicy policy, ActionTimes times) {
    this.policy = policy;
    this.times = times;
  }

  /** The plan for the node of this inventory: the saga's own plan, with estimates. */
  public Plan plan(NodeGone inventory) {
    SagaPlan plan = SagaPlan.of(policy, inventory);
    List<PlannedVolume> volumes = new ArrayList<>();
    int moving = 0;
    for (SagaPlan.PlannedVolume volume : plan.volumes()) {
      List<String> steps = new ArrayList<>();
      String outcome;
      switch (volume.verdict().outcome()) {
        case MOVES -> {
          moving++;
          outcome = "moves";
          steps.add(Step.PRE_FLIGHT.name());
          steps.add(Step.FENCE.name());
          volume.steps().forEach(step -> steps.add(step.name()));
        }
        case NO_ELIGIBLE_NODE -> {
          outcome = FailureCodes.NO_ELIGIBLE_NODE;
          steps.add(Step.PRE_FLIGHT.name());
        }
        default -> outcome = volume.verdict().detail();
      }
      volumes.add(
          new PlannedVolume(
              volume.volumeId(),
              volume.location(),
              outcome,
              steps,
              volume.likelyNode() == null ? null : volume.likelyNode().name()));
    }
    if (moving == 0) {
      return new Plan(
          inventory.node().name(), inventory.node().serverId(), "none", volumes, 0, Duration.ZERO);
    }
    FencePolicy fencing = plan.fencing();
    boolean detaches = fencing != FencePolicy.DELETE;
    int requests =
        (fencing == FencePolicy.NONE ? 0 : REQUESTS_PER_ACTION)
            + moving * REQUESTS_PER_ACTION * (detaches ? 2 : 1);
    Duration fence =
        switch (fencing) {
          case POWEROFF -> times.poweroff();
          case DELETE -> times.delete();
          case NONE -> Duration.ZERO;
        };
    int waves = (moving + policy.maxParallelVolumes() - 1) / policy.maxParallelVolumes();
    Duration perVolume =
        times.attach().plus(times.cluster().multipliedBy(3)); // release, reschedule, pod start
    Duration detach = detaches ? times.detach() : Duration.ZERO;
    // Volumes are pipelined: the detaches run one after another (one action per server at a time)
    // while each detached volume moves on, so the last one is back a volume's tail after the last
    // detach; unless the flows a slot allows at once are fewer, and each wave waits for the last.
    Duration pipelined = detach.multipliedBy(moving).plus(perVolume);
    Duration inWaves = detach.plus(perVolume).multipliedBy(waves);
    Duration expected = fence.plus(pipelined.compareTo(inWaves) >= 0 ? pipelined : inWaves);
    return new Plan(
        inventory.node().name(),
        inventory.node().serverId(),
        fencing.name().toLowerCase(Locale.ROOT),
        volumes,
        requests,
        expected);
  }
}
