package dev.lifeboat.events.node;

import dev.lifeboat.events.EventType;
import dev.lifeboat.events.Require;
import java.time.Instant;

/**
 * An alert: declaring this node gone would pass the storm guard, so it is only suspected and a
 * person decides.
 *
 * @param lostNodes how many nodes would be gone within the window, this one included
 * @param knownNodes how many nodes the watcher knows
 * @param maxLostShare the configured share of nodes that may be declared gone at once
 * @param detail what tripped the guard, in words
 */
@EventType(name = "lifeboat.node.storm-guard-tripped", version = 1)
public record StormGuardTripped(
    String messageId,
    String incidentId,
    Instant occurredAt,
    NodeRef node,
    int lostNodes,
    int knownNodes,
    double maxLostShare,
    String detail)
    implements NodeEvent {
  public StormGuardTripped {
    Require.envelope(messageId, incidentId, occurredAt);
    Require.present(node, "node");
    Require.text(detail, "detail");
  }
}
