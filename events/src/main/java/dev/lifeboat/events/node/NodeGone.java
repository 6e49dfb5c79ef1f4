package dev.lifeboat.events.node;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
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
 * @param nodeLabels the lost Node's labels, for policies chosen by node pool (empty when unknown)
 * @param knownNodes how many nodes the watcher knows in the cluster, for the fencing cap (0 when
 *     unknown)
 */
@EventType(name = "lifeboat.node.gone", version = 1)
public record NodeGone(
    String messageId,
    String incidentId,
    Instant occurredAt,
    NodeRef node,
    GoneReason reason,
    List<HeldVolume> volumes,
    Map<String, List<EligibleNode>> eligibleNodes,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, String> nodeLabels,
    @JsonInclude(JsonInclude.Include.NON_DEFAULT) @JsonSetter(nulls = Nulls.AS_EMPTY)
        int knownNodes)
    implements NodeEvent {
  public NodeGone {
    Require.envelope(messageId, incidentId, occurredAt);
    Require.present(node, "node");
    Require.present(reason, "reason");
    volumes = Require.list(volumes);
    eligibleNodes = Require.map(eligibleNodes);
    nodeLabels = Require.map(nodeLabels);
    if (knownNodes < 0) {
      throw new IllegalArgumentException("knownNodes must not be negative, was " + knownNodes);
    }
  }

  /** The eligible nodes in a location; empty when there are none. */
  public List<EligibleNode> eligibleIn(String location) {
    return eligibleNodes.getOrDefault(location, List.of());
  }
}
