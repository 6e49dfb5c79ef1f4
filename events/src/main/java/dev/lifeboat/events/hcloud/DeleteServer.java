package dev.lifeboat.events.hcloud;

import dev.lifeboat.events.EventType;
import dev.lifeboat.events.Require;
import java.time.Instant;

/**
 * Fence a server of a disposable pool by deleting it ({@code DELETE /servers/{id}}), which also
 * detaches all its volumes.
 */
@EventType(name = "lifeboat.hcloud.delete-server", version = 1)
public record DeleteServer(
    String messageId, String incidentId, Instant occurredAt, String commandId, long serverId)
    implements HcloudCommand {
  public DeleteServer {
    Require.envelope(messageId, incidentId, occurredAt, commandId);
    Require.id(serverId, "serverId");
  }
}
