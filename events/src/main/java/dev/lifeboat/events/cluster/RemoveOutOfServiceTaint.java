package dev.lifeboat.events.cluster;

import dev.lifeboat.events.EventType;
import dev.lifeboat.events.Require;
import java.time.Instant;

/**
 * Remove the {@code node.kubernetes.io/out-of-service} taint from a node that came back, so it can
 * run pods again (Kubernetes leaves that to whoever set the taint).
 */
@EventType(name = "lifeboat.cluster.remove-out-of-service-taint", version = 1)
public record RemoveOutOfServiceTaint(
    String messageId, String incidentId, Instant occurredAt, String commandId, String nodeName)
    implements ClusterCommand {
  public RemoveOutOfServiceTaint {
    Require.envelope(messageId, incidentId, occurredAt, commandId);
    Require.text(nodeName, "nodeName");
  }
}
