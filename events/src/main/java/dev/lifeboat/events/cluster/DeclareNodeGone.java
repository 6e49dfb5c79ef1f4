package dev.lifeboat.events.cluster;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.lifeboat.events.EventType;
import dev.lifeboat.events.Require;
import java.time.Instant;

/**
 * Declare a suspected node gone now, with the evidence the orchestrator holds from the Hetzner side
 * (its server off or deleted), instead of after the Lease grace. node-watcher declares it ({@code
 * NodeGone SERVER_OFF}) only while the node is still suspected of this same loss; a node whose
 * Lease was renewed meanwhile is not declared, and the answer says so.
 *
 * @param serverId the node's server, as the suspicion named it
 * @param evidence what the Hetzner API showed, in words, such as {@code server 42 status off}
 * @param notAfter when the saga stops waiting for this command (null: no deadline)
 */
@EventType(name = "lifeboat.cluster.declare-node-gone", version = 1)
public record DeclareNodeGone(
    String messageId,
    String incidentId,
    Instant occurredAt,
    String commandId,
    String nodeName,
    long serverId,
    String evidence,
    @JsonInclude(JsonInclude.Include.NON_NULL) Instant notAfter)
    implements ClusterCommand {
  public DeclareNodeGone {
    Require.envelope(messageId, incidentId, occurredAt, commandId);
    Require.text(nodeName, "nodeName");
    Require.id(serverId, "serverId");
    Require.text(evidence, "evidence");
  }
}
