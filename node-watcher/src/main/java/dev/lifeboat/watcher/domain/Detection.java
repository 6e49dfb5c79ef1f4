package dev.lifeboat.watcher.domain;

import dev.lifeboat.events.node.GoneReason;
import dev.lifeboat.events.node.SuspicionReason;
import java.time.Instant;

/**
 * What the detector decided about a node; each becomes a message on {@code node-events}, under the
 * incident id of the node's current loss (every decision about one loss names the same one).
 */
public sealed interface Detection {

  /** The node concerned. */
  NodeFacts node();

  /** The incident of this loss of the node. */
  String incidentId();

  /** The node shows signs of loss. */
  record Suspect(NodeFacts node, SuspicionReason reason, Instant lastSeen, String incidentId)
      implements Detection {}

  /** The node is declared gone. */
  record Gone(NodeFacts node, GoneReason reason, String incidentId) implements Detection {}

  /** A suspected or gone node is healthy again. */
  record Returned(NodeFacts node, String incidentId) implements Detection {}

  /** Declaring the node gone would pass the storm guard: a person decides. */
  record Guarded(
      NodeFacts node,
      int lostNodes,
      int knownNodes,
      double maxLostShare,
      String detail,
      String incidentId)
      implements Detection {}
}
