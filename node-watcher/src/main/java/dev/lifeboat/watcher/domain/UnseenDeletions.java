package dev.lifeboat.watcher.domain;

import dev.lifeboat.events.inventory.NodeInventory;
import dev.lifeboat.events.node.NodeRef;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Nodes deleted while no watcher watched: the leader learns of a deletion from the watch event, and
 * none comes for a Node deleted while every watcher was down (its server deleted at Hetzner, the
 * cloud controller manager then deleting the Node). A new leader compares the last reports on the
 * compacted {@code node-inventory} topic with the cluster: a node reported present there and absent
 * now was deleted unseen, and is handled as a deletion seen now, with the volumes it last held.
 *
 * <p>Left out: a node the last leader had declared gone already (its incident handles the loss), a
 * node being removed on purpose (its removal deletes it), and a node Lifeboat leaves alone.
 */
public final class UnseenDeletions {

  private UnseenDeletions() {}

  /** The nodes of the last reports that were deleted unseen, as the last report described them. */
  public static List<NodeFacts> find(
      Collection<NodeInventory> lastReports, Collection<NodeFacts> present) {
    Set<String> names = present.stream().map(NodeFacts::name).collect(Collectors.toSet());
    return lastReports.stream()
        .filter(
            report ->
                !report.deleted()
                    && !names.contains(report.node().name())
                    && report.declaredGone() == null
                    && report.removal() == null
                    && report.excludedBecause() == null)
        .map(UnseenDeletions::facts)
        .toList();
  }

  /**
   * The node as its last report describes it: name, UID, server, labels (the location among them),
   * Ready and schedulable as they were; no annotation and no taint (a report carries neither).
   */
  static NodeFacts facts(NodeInventory report) {
    NodeRef ref = report.node();
    Map<String, String> labels = new HashMap<>(report.nodeLabels());
    if (!"unknown".equals(ref.location())
        && !labels.containsKey(NodeFacts.CSI_LOCATION_LABEL)
        && !labels.containsKey(NodeFacts.REGION_LABEL)) {
      labels.put(NodeFacts.REGION_LABEL, ref.location());
    }
    return new NodeFacts(
        ref.name(),
        ref.uid(),
        ref.serverId() > 0 ? "hcloud://" + ref.serverId() : null,
        labels,
        Map.of(),
        report.ready() ? "True" : "Unknown",
        null,
        !report.schedulable(),
        List.of());
  }
}
