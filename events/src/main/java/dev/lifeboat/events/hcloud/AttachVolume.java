package dev.lifeboat.events.hcloud;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.lifeboat.events.EventType;
import dev.lifeboat.events.Require;
import dev.lifeboat.events.VolumeCommand;
import java.time.Instant;

/**
 * Attach a volume to the server of the node its replacement pod landed on.
 *
 * @param notAfter when the saga stops waiting for this command: no component starts or continues it
 *     after that (null: no deadline)
 */
@EventType(name = "lifeboat.hcloud.attach-volume", version = 1)
public record AttachVolume(
    String messageId,
    String incidentId,
    Instant occurredAt,
    String commandId,
    long volumeId,
    long serverId,
    @JsonInclude(JsonInclude.Include.NON_NULL) Instant notAfter)
    implements HcloudCommand, VolumeCommand {
  public AttachVolume {
    Require.envelope(messageId, incidentId, occurredAt, commandId);
    Require.id(volumeId, "volumeId");
    Require.id(serverId, "serverId");
  }

  /** Without a deadline. */
  public AttachVolume(
      String messageId,
      String incidentId,
      Instant occurredAt,
      String commandId,
      long volumeId,
      long serverId) {
    this(messageId, incidentId, occurredAt, commandId, volumeId, serverId, null);
  }
}
