package dev.lifeboat.events.node;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.lifeboat.events.EventType;
import dev.lifeboat.events.Require;
import dev.lifeboat.events.doctor.Repair;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Opens the saga that repairs a doctor's finding (docs/doctor.md), sent by the owner of the doctor
 * once the finding, checked again on a fresh run, still holds with the same repair. The saga keeps
 * its own timeline, as an incident of kind {@code repair}.
 *
 * @param incidentId the saga's id ({@link dev.lifeboat.events.IncidentId#forRepair})
 * @param node the server the repair works on: the one a volume is detached from, which no Node
 *     stands for, named {@code server-<id>} (that name also as its uid); or the node a volume is
 *     attached to, named as the Node (that name also as its uid)
 * @param findingId the finding repaired
 * @param repair what the saga does
 * @param requestedBy who asked
 * @param volume the volume repaired, as the cluster's PersistentVolume names it (no pod: none is
 *     released or rescheduled by a repair)
 * @param targetServerId a move's: the server of the node the volume goes to ({@link
 *     Repair#nodeName()}); null for the other repairs
 */
@EventType(name = "lifeboat.node.repair-requested", version = 1)
public record RepairRequested(
    String messageId,
    String incidentId,
    Instant occurredAt,
    NodeRef node,
    String findingId,
    Repair repair,
    String requestedBy,
    HeldVolume volume,
    @JsonInclude(JsonInclude.Include.NON_NULL) Long targetServerId)
    implements NodeEvent {
  public RepairRequested {
    Require.envelope(messageId, incidentId, occurredAt);
    Require.present(node, "node");
    Require.text(findingId, "findingId");
    Require.present(repair, "repair");
    Require.text(requestedBy, "requestedBy");
    Require.present(volume, "volume");
    Require.optionalId(targetServerId, "targetServerId");
    if (repair.action() == Repair.Action.MOVE_VOLUME && targetServerId == null) {
      throw new IllegalArgumentException("targetServerId is required for a move");
    }
  }

  /** The name a server that no Node stands for goes by in a repair. */
  public static String serverName(long serverId) {
    return "server-" + serverId;
  }

  /** The repair's inventory in the form the saga keeps for every node it works on. */
  public NodeGone inventory() {
    return new NodeGone(
        messageId,
        incidentId,
        occurredAt,
        node,
        GoneReason.REPAIR_REQUESTED,
        List.of(volume),
        Map.of(),
        Map.of(),
        0);
  }
}
