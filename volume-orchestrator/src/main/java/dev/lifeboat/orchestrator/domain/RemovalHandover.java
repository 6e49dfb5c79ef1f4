package dev.lifeboat.orchestrator.domain;

import dev.lifeboat.events.IncidentId;
import dev.lifeboat.events.MessageIds;
import dev.lifeboat.events.control.AbortIncident;
import dev.lifeboat.events.node.NodeGone;
import java.time.Instant;

/**
 * A node lost while it is being removed: the loss wins. Its incident fences the server and moves
 * what is still there; the removal, if one runs, is told to hand over (what left the server goes on
 * to its new node, what is still on it ends {@code HANDED_OVER} naming the incident, no FINISH, the
 * removal ends CANCELLED), so that the two never act on the same volumes. The abort goes through
 * the control topic, since the removal's saga may live on another partition; a removal that ended,
 * or never was, ignores it without a word.
 */
public final class RemovalHandover {

  /** Who asks, on the abort: tells a handover from a person's request. */
  public static final String BY = "lifeboat (node lost)";

  private RemovalHandover() {}

  /** The abort of the node's removal, derived from the loss (the same after a replay). */
  public static AbortIncident of(NodeGone gone, Instant now) {
    String removal = IncidentId.forRemoval(gone.node().name(), gone.node().uid());
    return new AbortIncident(
        MessageIds.derived(gone.incidentId(), "removal-handover"),
        removal,
        now,
        BY,
        "node "
            + gone.node().name()
            + " was lost ("
            + gone.reason()
            + "): incident "
            + gone.incidentId()
            + " fences its server and moves what has not moved");
  }
}
