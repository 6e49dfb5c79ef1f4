package dev.lifeboat.events.hcloud;

import dev.lifeboat.events.EventType;
import dev.lifeboat.events.Require;
import dev.lifeboat.events.VolumeCommand;
import java.time.Instant;

/** Attach a volume to the server of the node its replacement pod landed on. */
@EventType(name = "lifeboat.hcloud.attach-volume", version = 1)
public record AttachVolume(
    String messageId,
    String incidentId,
    Instant occurredAt,
    String commandId,
    long volumeId,
    long serverId)
    implements HcloudCommand, VolumeCommand {
  public AttachVolume {
    Require.envelope(messageId, incidentId, occurredAt, commandId);
    Require.id(volumeId, "volumeId");
    Require.id(serverId, "serverId");
  }
}
