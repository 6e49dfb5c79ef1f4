package dev.lifeboat.events.node;

import dev.lifeboat.events.EventType;
import dev.lifeboat.events.Require;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A node is declared lost: opens (or repeats) its incident, with the inventory the saga needs.
 *
 * @param volumes the Hetzner volumes the node held
 * @param eligibleNodes healthy nodes a volume could move to, by Hetzner location
 */
@EventType(name = "lifeboat.node.gone", version = 1)
public record NodeGone(
    String messageId,
    String incidentId,
    Instant occurredAt,
    NodeRef node,
    GoneReason reason,
    List<HeldVolume> volumes,
    Map<String, List<EligibleNode>> eligibleNodes)
    implements NodeEvent {
  public NodeGone {
    Require.envelope(messageId, incidentId, occurredAt);
    Require.present(node, "node");
    Require.present(reason, "reason");
    volumes = Require.list(volumes);
    eligibleNodes = Require.map(eligibleNodes);
  }

  /** The eligible nodes in a location; empty when there are none. */
  public List<EligibleNode> eligibleIn(String location) {
    return eligibleNodes.getOrDefault(location, List.of());
  }
}
