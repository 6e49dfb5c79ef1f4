package dev.lifeboat.events.cluster;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.lifeboat.events.EventType;
import dev.lifeboat.events.Require;
import java.time.Instant;

/**
 * A planned removal whose server was deleted: delete the Node object, only while its UID is the one
 * removed (a node re-created under the same name is left alone).
 *
 * @param notAfter when the saga stops waiting for this command: node-watcher neither starts nor
 *     goes on with it after that (null: no deadline)
 */
@EventType(name = "lifeboat.cluster.delete-node", version = 1)
public record DeleteNode(
    String messageId,
    String incidentId,
    Instant occurredAt,
    String commandId,
    String nodeName,
    String nodeUid,
    @JsonInclude(JsonInclude.Include.NON_NULL) Instant notAfter)
    implements ClusterCommand {
  public DeleteNode {
    Require.envelope(messageId, incidentId, occurredAt, commandId);
    Require.text(nodeName, "nodeName");
    Require.text(nodeUid, "nodeUid");
  }
}
