package dev.lifeboat.watcher.domain;

import dev.lifeboat.events.node.GoneReason;
import dev.lifeboat.events.node.SuspicionReason;
import java.time.Instant;

/** What the detector decided about a node; each becomes a message on {@code node-events}. */
public sealed interface Detection {

  /** The node concerned. */
  NodeFacts node();

  /** The node shows signs of loss. */
  record Suspect(NodeFacts node, SuspicionReason reason, Instant lastSeen) implements Detection {}

  /** The node is declared gone. */
  record Gone(NodeFacts node, GoneReason reason) implements Detection {}

  /** A suspected or gone node is healthy again. */
  record Returned(NodeFacts node) implements Detection {}

  /** Declaring the node gone would pass the storm guard: a person decides. */
  record Guarded(NodeFacts node, int lostNodes, int knownNodes, double maxLostShare, String detail)
      implements Detection {}
}
