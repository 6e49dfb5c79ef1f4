package dev.lifeboat.events.cluster;

import dev.lifeboat.events.EventType;
import dev.lifeboat.events.Require;
import java.time.Instant;

/**
 * Taint the fenced node {@code node.kubernetes.io/out-of-service=nodeshutdown:NoExecute}, so that
 * Kubernetes lets go of its pods and volumes.
 */
@EventType(name = "lifeboat.cluster.taint-node-out-of-service", version = 1)
public record TaintNodeOutOfService(
    String messageId, String incidentId, Instant occurredAt, String commandId, String nodeName)
    implements ClusterCommand {
  public TaintNodeOutOfService {
    Require.envelope(messageId, incidentId, occurredAt, commandId);
    Require.text(nodeName, "nodeName");
  }
}
