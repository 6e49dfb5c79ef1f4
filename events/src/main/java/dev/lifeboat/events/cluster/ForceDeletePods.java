package dev.lifeboat.events.cluster;

import dev.lifeboat.events.EventType;
import dev.lifeboat.events.Require;
import dev.lifeboat.events.node.PodRef;
import java.time.Instant;
import java.util.List;

/**
 * Force-delete (grace period 0) these pods of the fenced node, so their controllers replace them; a
 * pod whose UID no longer matches is left alone.
 */
@EventType(name = "lifeboat.cluster.force-delete-pods", version = 1)
public record ForceDeletePods(
    String messageId,
    String incidentId,
    Instant occurredAt,
    String commandId,
    String nodeName,
    List<PodRef> pods)
    implements ClusterCommand {
  public ForceDeletePods {
    Require.envelope(messageId, incidentId, occurredAt, commandId);
    Require.text(nodeName, "nodeName");
    pods = Require.list(pods);
  }
}
