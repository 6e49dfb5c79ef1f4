package dev.lifeboat.events.node;

import dev.lifeboat.events.EventType;
import dev.lifeboat.events.Require;
import java.time.Instant;

/** A node shows signs of loss but is not declared gone (yet, or because of the storm guard). */
@EventType(name = "lifeboat.node.suspected", version = 1)
public record NodeSuspected(
    String messageId,
    String incidentId,
    Instant occurredAt,
    NodeRef node,
    SuspicionReason reason,
    Instant lastSeen)
    implements NodeEvent {
  public NodeSuspected {
    Require.envelope(messageId, incidentId, occurredAt);
    Require.present(node, "node");
    Require.present(reason, "reason");
  }
}
