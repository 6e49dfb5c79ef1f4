package dev.lifeboat.orchestrator.domain;

import dev.lifeboat.events.node.HeldVolume;
import dev.lifeboat.events.node.NodeGone;

/** PRE_FLIGHT: whether a volume of a lost node can move at all, decided once, before the fence. */
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
