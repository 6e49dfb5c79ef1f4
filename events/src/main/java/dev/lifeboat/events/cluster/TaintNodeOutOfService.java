package dev.lifeboat.events.cluster;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.lifeboat.events.EventType;
import dev.lifeboat.events.Require;
import java.time.Instant;

/**
 * Taint the fenced node {@code node.kubernetes.io/out-of-service=nodeshutdown:NoExecute}, so that
 * Kubernetes lets go of its pods and volumes.
 *
 * @param notAfter when the saga stops waiting for this command: node-watcher neither starts nor
 *     goes on with it after that (null: no deadline)
 */
@EventType(name = "lifeboat.cluster.taint-node-out-of-service", version = 1)
public record TaintNodeOutOfService(
    String messageId,
    String incidentId,
    Instant occurredAt,
    String commandId,
    String nodeName,
    @JsonInclude(JsonInclude.Include.NON_NULL) Instant notAfter)
    implements ClusterCommand {
  public TaintNodeOutOfService {
    Require.envelope(messageId, incidentId, occurredAt, commandId);
    Require.text(nodeName, "nodeName");
  }

  /** Without a deadline. */
  public TaintNodeOutOfService(
      String messageId, String incidentId, Instant occurredAt, String commandId, String nodeName) {
    this(messageId, incidentId, occurredAt, commandId, nodeName, null);
  }
}
