package dev.lifeboat.orchestrator.domain;

import dev.lifeboat.events.node.HeldVolume;
import dev.lifeboat.events.node.NodeGone;
import dev.lifeboat.events.node.NodeRef;
import dev.lifeboat.events.node.ServerDisposal;

/**
 * PRE_FLIGHT: whether a volume of a lost node can move at all, decided once, before the fence; and
 * whether a removal may start at all.
 */
public final class PreFlight {

  /** What PRE_FLIGHT says of a volume. */
  public enum Outcome {
    /** It has an eligible node in its location: it moves. */
    MOVES,
    /** It opted out of failover: never touched. */
    SKIPPED,
    /** No healthy node in its location can take its pod: never touched. */
    NO_ELIGIBLE_NODE
  }

  /**
   * The verdict on one volume.
   *
   * @param outcome what happens to it
   * @param detail why, in words; null when it moves
   */
  public record Verdict(Outcome outcome, String detail) {}

  private PreFlight() {}

  /**
   * Why a removal could not take this volume, in words; null when it moves. A removal moves every
   * volume of its node or none, so any of these refuses the whole removal.
   */
  static String removalRefusal(Verdict verdict) {
    return switch (verdict.outcome()) {
      case MOVES -> null;
      case NO_ELIGIBLE_NODE -> verdict.detail();
      case SKIPPED ->
          "it opted out of Lifeboat ("
              + verdict.detail()
              + "): move it yourself, or take the opt-out off, and ask again";
    };
  }

  /**
   * Why a removal could not delete or power off the node's server, in words; null when it can, or
   * when the server is to be kept.
   */
  static String removalServerRefusal(NodeRef node, ServerDisposal then) {
    return then != ServerDisposal.KEEP && node.serverId() == 0
        ? "node "
            + node.name()
            + " has no hcloud:// providerID, so its server is unknown: ask with then=keep"
        : null;
  }

  static Verdict verdict(HeldVolume volume, NodeGone inventory) {
    if (volume.skipped() != null) {
      return new Verdict(Outcome.SKIPPED, "skipped: " + volume.skipped());
    }
    if (inventory.eligibleIn(volume.location()).isEmpty()) {
      return new Verdict(
          Outcome.NO_ELIGIBLE_NODE,
          "no healthy node in " + volume.location() + " can take its pod");
    }
    return new Verdict(Outcome.MOVES, null);
  }
}
