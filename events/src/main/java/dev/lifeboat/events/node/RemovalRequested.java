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
 * A person asked to remove a node on purpose (the {@code lifeboat.dev/remove} annotation, the
 * orchestrator's API or the local run): opens its removal, with the inventory the saga needs, as a
 * loss's {@link NodeGone} does. The node is alive and cooperating; nothing is fenced.
 *
 * @param incidentId the removal's id ({@link dev.lifeboat.events.IncidentId#forRemoval})
 * @param then what is done with the server once no volume is attached to it
 * @param requestedBy who asked (a user name, or {@code annotation} for the Node annotation)
 * @param volumes the Hetzner volumes the node holds
 * @param eligibleNodes healthy nodes a volume could move to, by Hetzner location
 * @param nodeLabels the Node's labels (empty when unknown)
 * @param knownNodes how many nodes the watcher knows in the cluster (0 when unknown)
 */
@EventType(name = "lifeboat.node.removal-requested", version = 1)
public record RemovalRequested(
    String messageId,
    String incidentId,
    Instant occurredAt,
    NodeRef node,
    ServerDisposal then,
    String requestedBy,
    List<HeldVolume> volumes,
    Map<String, List<EligibleNode>> eligibleNodes,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, String> nodeLabels,
    @JsonInclude(JsonInclude.Include.NON_DEFAULT) @JsonSetter(nulls = Nulls.AS_EMPTY)
        int knownNodes)
    implements NodeEvent {
  public RemovalRequested {
    Require.envelope(messageId, incidentId, occurredAt);
    Require.present(node, "node");
    Require.present(then, "then");
    Require.text(requestedBy, "requestedBy");
    volumes = Require.list(volumes);
    eligibleNodes = Require.map(eligibleNodes);
    nodeLabels = Require.map(nodeLabels);
    if (knownNodes < 0) {
      throw new IllegalArgumentException("knownNodes must not be negative, was " + knownNodes);
    }
  }

  /** The node's inventory in the form the saga keeps for every node it empties. */
  public NodeGone inventory() {
    return new NodeGone(
        messageId,
        incidentId,
        occurredAt,
        node,
        GoneReason.REMOVAL_REQUESTED,
        volumes,
        eligibleNodes,
        nodeLabels,
        knownNodes);
  }
}
