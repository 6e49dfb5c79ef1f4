package dev.lifeboat.events.cluster;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.lifeboat.events.EventType;
import dev.lifeboat.events.Require;
import java.time.Instant;

/**
 * Mark a node unschedulable (cordon), or schedulable again (uncordon), as {@code kubectl cordon}
 * does: {@code spec.unschedulable}. The saga cordons a fenced node so that the scheduler keeps the
 * replacement pods off it while it still looks Ready to Kubernetes, and uncordons it after the end
 * if the node came back and the saga was the one that cordoned it.
 *
 * @param unschedulable true to cordon, false to uncordon
 * @param notAfter when the saga stops waiting for this command: node-watcher neither starts nor
 *     goes on with it after that (null: no deadline)
 */
@EventType(name = "lifeboat.cluster.cordon-node", version = 1)
public record CordonNode(
    String messageId,
    String incidentId,
    Instant occurredAt,
    String commandId,
    String nodeName,
    boolean unschedulable,
    @JsonInclude(JsonInclude.Include.NON_NULL) Instant notAfter)
    implements ClusterCommand {
  public CordonNode {
    Require.envelope(messageId, incidentId, occurredAt, commandId);
    Require.text(nodeName, "nodeName");
  }
}
