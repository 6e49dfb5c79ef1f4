package dev.lifeboat.events.inventory;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import dev.lifeboat.events.EventType;
import dev.lifeboat.events.Require;
import dev.lifeboat.events.node.EligibleNode;
import dev.lifeboat.events.node.HeldVolume;
import dev.lifeboat.events.node.NodeRef;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One node as node-watcher sees it now, with the inventory a loss or a removal of it would start
 * from: what the orchestrator's API answers a removal request with at once (an unknown node, a
 * control-plane node), and what the drill plans from.
 *
 * @param incidentId the node's name: the record's key on the compacted topic
 * @param deleted the Node object no longer exists (the last report of it)
 * @param excludedBecause why Lifeboat leaves the node alone (a control-plane node, an exclusion
 *     label or annotation); null when it does not
 * @param removal the value of its {@code lifeboat.dev/remove} annotation; null without one
 * @param declaredGone the incident in which node-watcher declared the node gone (its annotation
 *     {@code lifeboat.dev/declared-gone}); null while it is not: a new leader that finds the node
 *     deleted while no watcher watched knows from it whether the loss was handled already
 * @param volumes the Hetzner volumes it holds
 * @param eligibleNodes healthy nodes its volumes could move to, by Hetzner location
 * @param knownNodes how many nodes the watcher knows in the cluster
 */
@EventType(name = "lifeboat.inventory.node", version = 1)
public record NodeInventory(
    String messageId,
    String incidentId,
    Instant occurredAt,
    NodeRef node,
    @JsonInclude(JsonInclude.Include.NON_DEFAULT) @JsonSetter(nulls = Nulls.AS_EMPTY)
        boolean deleted,
    boolean ready,
    boolean schedulable,
    @JsonInclude(JsonInclude.Include.NON_NULL) String excludedBecause,
    @JsonInclude(JsonInclude.Include.NON_NULL) String removal,
    @JsonInclude(JsonInclude.Include.NON_NULL) String declaredGone,
    List<HeldVolume> volumes,
    Map<String, List<EligibleNode>> eligibleNodes,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, String> nodeLabels,
    @JsonInclude(JsonInclude.Include.NON_DEFAULT) @JsonSetter(nulls = Nulls.AS_EMPTY)
        int knownNodes)
    implements InventoryReport {
  public NodeInventory {
    Require.envelope(messageId, incidentId, occurredAt);
    Require.present(node, "node");
    if (!incidentId.equals(node.name())) {
      throw new IllegalArgumentException(
          "incidentId (the key) must be the node's name " + node.name() + ", was " + incidentId);
    }
    volumes = Require.list(volumes);
    eligibleNodes = Require.map(eligibleNodes);
    nodeLabels = Require.map(nodeLabels);
    if (knownNodes < 0) {
      throw new IllegalArgumentException("knownNodes must not be negative, was " + knownNodes);
    }
  }

  /** The same report, stamped anew: what tells a change from a repetition. */
  public NodeInventory restamped(String newMessageId, Instant at) {
    return new NodeInventory(
        newMessageId,
        incidentId,
        at,
        node,
        deleted,
        ready,
        schedulable,
        excludedBecause,
        removal,
        declaredGone,
        volumes,
        eligibleNodes,
        nodeLabels,
        knownNodes);
  }
}
