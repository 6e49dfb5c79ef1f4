package dev.lifeboat.events.cluster;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.lifeboat.events.EventType;
import dev.lifeboat.events.Require;
import java.time.Instant;

/**
 * Remove the {@code node.kubernetes.io/out-of-service} taint from a node that came back, so it can
 * run pods again (Kubernetes leaves that to whoever set the taint).
 *
 * @param notAfter when the saga stops waiting for this command: node-watcher neither starts nor
 *     goes on with it after that (null: no deadline)
 */
@EventType(name = "lifeboat.cluster.remove-out-of-service-taint", version = 1)
public record RemoveOutOfServiceTaint(
    String messageId,
    String incidentId,
    Instant occurredAt,
    String commandId,
    String nodeName,
    @JsonInclude(JsonInclude.Include.NON_NULL) Instant notAfter)
    implements ClusterCommand {
  public RemoveOutOfServiceTaint {
    Require.envelope(messageId, incidentId, occurredAt, commandId);
    Require.text(nodeName, "nodeName");
  }

  /** Without a deadline. */
  public RemoveOutOfServiceTaint(
      String messageId, String incidentId, Instant occurredAt, String commandId, String nodeName) {
    this(messageId, incidentId, occurredAt, commandId, nodeName, null);
  }
}
