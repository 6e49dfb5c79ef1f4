package dev.lifeboat.events.hcloud;

import dev.lifeboat.events.EventType;
import dev.lifeboat.events.Require;
import java.time.Instant;

/** Fence a server by cutting its power ({@code POST /servers/{id}/actions/poweroff}). */
@EventType(name = "lifeboat.hcloud.power-off-server", version = 1)
public record PowerOffServer(
    String messageId, String incidentId, Instant occurredAt, String commandId, long serverId)
    implements HcloudCommand {
  public PowerOffServer {
    Require.envelope(messageId, incidentId, occurredAt, commandId);
    Require.id(serverId, "serverId");
  }
}
