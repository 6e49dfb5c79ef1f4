package dev.lifeboat.orchestrator.domain;

import dev.lifeboat.events.node.EligibleNode;
import dev.lifeboat.events.node.HeldVolume;
import dev.lifeboat.events.node.NodeGone;
import dev.lifeboat.events.saga.Step;
import java.util.ArrayList;
import java.util.List;

/**
 * What the saga would do with a lost node, read from the same pre-flight, fence rules and step
 * table as the live saga: the dry run records it, the drill shows it.
 *
 * @param serverId the node's server
 * @param fencing the fencing chosen for the node
 * @param volumes every volume, in inventory order
 */
public record SagaPlan(long serverId, FencePolicy fencing, List<PlannedVolume> volumes) {

  /**
   * One volume in the plan.
   *
   * @param volumeId the Hetzner volume id
   * @param location its location
   * @param verdict what PRE_FLIGHT says of it
   * @param steps the steps after the fence it would go through, in order; none unless it moves
   * @param likelyNode the first eligible node in its location, where its pod may land; null unless
   *     it moves
   */
  public record PlannedVolume(
      long volumeId,
      String location,
      PreFlight.Verdict verdict,
      List<Step> steps,
      EligibleNode likelyNode) {

    /** True when the volume would move. */
    public boolean moves() {
      return verdict.outcome() == PreFlight.Outcome.MOVES;
    }

    /** What the step would do to this volume, in words. */
    String detail(Step step, FencePolicy fencing) {
      return switch (step) {
        case DETACH ->
            fencing == FencePolicy.DELETE
                ? "find it detached by the server's deletion"
                : "detach it from the fenced server";
        case RELEASE -> "force-delete its pods and attachments";
        case RESCHEDULE ->
            "wait for its pod to be bound in " + location + ", for example to " + likelyNode.name();
        case ATTACH -> "attach it to server " + likelyNode.serverId();
        case VERIFY -> "wait for its pod to be Ready on " + likelyNode.name();
        default -> step.name();
      };
    }
  }

  /** The plan for the node of this inventory under this policy. */
  public static SagaPlan of(SagaPolicy policy, NodeGone inventory) {
    List<Step> afterFence =
        VolumeSteps.TABLE.stream()
            .map(VolumeSteps.Row::step)
            .filter(step -> step != Step.EVICT) // a removal's only
            .toList();
    List<PlannedVolume> volumes = new ArrayList<>();
    for (HeldVolume volume : inventory.volumes()) {
      PreFlight.Verdict verdict = PreFlight.verdict(volume, inventory);
      boolean moves = verdict.outcome() == PreFlight.Outcome.MOVES;
      volumes.add(
          new PlannedVolume(
              volume.volumeId(),
              volume.location(),
              verdict,
              moves ? afterFence : List.of(),
              moves ? inventory.eligibleIn(volume.location()).get(0) : null));
    }
    return new SagaPlan(
        inventory.node().serverId(), policy.fencingFor(inventory.nodeLabels()), volumes);
  }

  /** True when some volume would move, so the server would be fenced. */
  public boolean fences() {
    return volumes.stream().anyMatch(PlannedVolume::moves);
  }

  /**
   * The incident's own steps after PRE_FLIGHT: the fence, then the node-wide out-of-service taint
   * (a RELEASE of the whole node, once no volume is on the server); none when nothing moves.
   */
  public List<Step> incidentSteps() {
    return fences() ? List.of(Step.FENCE, Step.RELEASE) : List.of();
  }

  /** What an incident-wide step would do, in words. */
  public String incidentDetail(Step step) {
    if (step == Step.FENCE) {
      return fenceDetail();
    }
    List<Long> staying =
        fencing == FencePolicy.DELETE
            ? List.of()
            : volumes.stream().filter(v -> !v.moves()).map(PlannedVolume::volumeId).toList();
    return staying.isEmpty()
        ? "taint the node out-of-service once no volume is on the server"
        : "leave the node untainted: volume(s) " + staying + " stay on the server";
  }

  /** How the server would be fenced, in words. */
  public String fenceDetail() {
    return switch (fencing) {
      case POWEROFF -> "power off server " + serverId;
      case DELETE -> "delete server " + serverId + ", which detaches its volumes";
      case NONE -> "take the cloud controller manager's word that server " + serverId + " is off";
    };
  }
}
