package dev.lifeboat.events.node;

import dev.lifeboat.events.EventType;
import dev.lifeboat.events.Require;
import java.time.Instant;

/** A suspected or gone node is healthy again (Lease renewed and Ready True). */
@EventType(name = "lifeboat.node.returned", version = 1)
public record NodeReturned(String messageId, String incidentId, Instant occurredAt, NodeRef node)
    implements NodeEvent {
  public NodeReturned {
    Require.envelope(messageId, incidentId, occurredAt);
    Require.present(node, "node");
  }
}
