package dev.lifeboat.orchestrator.domain;

import dev.lifeboat.events.FailureCodes;
import dev.lifeboat.events.node.HeldVolume;
import dev.lifeboat.events.node.NodeGone;
import dev.lifeboat.events.node.ServerDisposal;
import dev.lifeboat.events.saga.Step;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A rehearsal: what the saga would do if this node were lost now, or removed on purpose, from its
 * last known inventory, without sending anything.
 */
public final class Drill {

  /** Requests the adapter makes per Hetzner action: observe (GET), act (POST), poll (GET). */
  static final int REQUESTS_PER_ACTION = 3;

  /** A removal's fencing: none, the node is alive and cooperating. */
  private static final String NO_FENCE = FencePolicy.NONE.name().toLowerCase(Locale.ROOT);

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
   * @param kind {@code loss} or {@code removal}
   * @param fencing how it would be fenced; {@code none} when nothing would be (always, for a
   *     removal)
   * @param then a removal's: what becomes of the server ({@code delete}, {@code poweroff} or {@code
   *     keep}); null for a loss
   * @param refused a removal's: why PRE_FLIGHT would refuse it and touch nothing; empty when it
   *     would go ahead (and always for a loss, which moves what it can)
   * @param nodeSteps the steps of the node as a whole, in order
   * @param volumes every volume, in inventory order
   * @param hetznerRequests the Hetzner API requests it would take, at most
   * @param expectedDuration from the decision to the last pod Ready (for a removal: to the server
   *     deleted, powered off or left empty), estimated
   */
  public record Plan(
      String node,
      long serverId,
      String kind,
      String fencing,
      String then,
      List<String> refused,
      List<String> nodeSteps,
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
      return plan(
          inventory,
          IncidentKind.LOSS,
          "none",
          null,
          List.of(),
          List.of(Step.PRE_FLIGHT),
          volumes,
          0,
          Duration.ZERO);
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
    Duration expected = fence.plus(longer(pipelined, inWaves));
    List<Step> nodeSteps = new ArrayList<>(List.of(Step.PRE_FLIGHT));
    nodeSteps.addAll(plan.incidentSteps());
    return plan(
        inventory,
        IncidentKind.LOSS,
        fencing.name().toLowerCase(Locale.ROOT),
        null,
        List.of(),
        nodeSteps,
        volumes,
        requests,
        expected);
  }

  /**
   * The plan for removing the node of this inventory on purpose, the server then deleted, powered
   * off or kept: the removal saga's pre-flight and steps, with estimates. A removal that PRE_FLIGHT
   * would refuse is planned with its reasons and nothing else.
   */
  public Plan planRemoval(NodeGone inventory, ServerDisposal then) {
    List<String> refused = new ArrayList<>();
    List<PlannedVolume> volumes = new ArrayList<>();
    for (HeldVolume volume : inventory.volumes()) {
      PreFlight.Verdict verdict = PreFlight.verdict(volume, inventory);
      String why = PreFlight.removalRefusal(verdict);
      List<String> steps = new ArrayList<>(List.of(Step.PRE_FLIGHT.name()));
      String likely = null;
      if (why == null) {
        VolumeSteps.TABLE.forEach(row -> steps.add(row.step().name()));
        likely = inventory.eligibleIn(volume.location()).get(0).name();
      } else {
        refused.add("volume " + volume.volumeId() + ": " + why);
      }
      volumes.add(
          new PlannedVolume(
              volume.volumeId(), volume.location(), why == null ? "moves" : why, steps, likely));
    }
    String server = PreFlight.removalServerRefusal(inventory.node(), then);
    if (server != null) {
      refused.add(server);
    }
    if (!refused.isEmpty()) {
      return plan(
          inventory,
          IncidentKind.REMOVAL,
          NO_FENCE,
          then,
          refused,
          List.of(Step.PRE_FLIGHT),
          volumes,
          0,
          Duration.ZERO);
    }
    int moving = volumes.size();
    boolean retires = then != ServerDisposal.KEEP;
    int requests = moving * REQUESTS_PER_ACTION * 2 + (retires ? REQUESTS_PER_ACTION : 0);
    // Each volume's pods are evicted (a cluster step: graceful termination, the kubelet unmounts),
    // then its detach from the running server waits its turn (one action per server at a time),
    // then it moves on as for a loss; FINISH drains the rest, retires the server, deletes the Node.
    int waves =
        Math.max(1, (moving + policy.maxParallelVolumes() - 1) / policy.maxParallelVolumes());
    Duration perVolume = times.attach().plus(times.cluster().multipliedBy(3));
    Duration evict = moving == 0 ? Duration.ZERO : times.cluster();
    Duration pipelined = evict.plus(times.detach().multipliedBy(moving)).plus(perVolume);
    Duration inWaves = evict.plus(times.detach()).plus(perVolume).multipliedBy(waves);
    Duration moved = moving == 0 ? Duration.ZERO : longer(pipelined, inWaves);
    Duration finish =
        times
            .cluster()
            .plus(
                switch (then) {
                  case DELETE -> times.delete().plus(times.cluster());
                  case POWEROFF -> times.poweroff();
                  case KEEP -> Duration.ZERO;
                });
    return plan(
        inventory,
        IncidentKind.REMOVAL,
        NO_FENCE,
        then,
        List.of(),
        List.of(Step.PRE_FLIGHT, Step.EVICT, Step.FINISH),
        volumes,
        requests,
        moved.plus(finish));
  }

  private static Plan plan(
      NodeGone inventory,
      IncidentKind kind,
      String fencing,
      ServerDisposal then,
      List<String> refused,
      List<Step> nodeSteps,
      List<PlannedVolume> volumes,
      int requests,
      Duration expected) {
    return new Plan(
        inventory.node().name(),
        inventory.node().serverId(),
        kind.word(),
        fencing,
        then == null ? null : then.word(),
        refused,
        nodeSteps.stream().map(Step::name).toList(),
        volumes,
        requests,
        expected);
  }

  private static Duration longer(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }
}
