package dev.lifeboat.events.cluster;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.lifeboat.events.EventType;
import dev.lifeboat.events.Require;
import dev.lifeboat.events.node.PodRef;
import java.time.Instant;
import java.util.List;

/**
 * Force-delete (grace period 0) these pods of the fenced node, so their controllers replace them; a
 * pod whose UID no longer matches is left alone.
 *
 * @param notAfter when the saga stops waiting for this command: node-watcher neither starts nor
 *     goes on with it after that (null: no deadline)
 */
@EventType(name = "lifeboat.cluster.force-delete-pods", version = 1)
public record ForceDeletePods(
    String messageId,
    String incidentId,
    Instant occurredAt,
    String commandId,
    String nodeName,
    List<PodRef> pods,
    @JsonInclude(JsonInclude.Include.NON_NULL) Instant notAfter)
    implements ClusterCommand {
  public ForceDeletePods {
    Require.envelope(messageId, incidentId, occurredAt, commandId);
    Require.text(nodeName, "nodeName");
    pods = Require.list(pods);
  }

  /** Without a deadline. */
  public ForceDeletePods(
      String messageId,
      String incidentId,
      Instant occurredAt,
      String commandId,
      String nodeName,
      List<PodRef> pods) {
    this(messageId, incidentId, occurredAt, commandId, nodeName, pods, null);
  }
}
