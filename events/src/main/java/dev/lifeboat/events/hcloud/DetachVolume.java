package dev.lifeboat.events.hcloud;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import dev.lifeboat.events.EventType;
import dev.lifeboat.events.Require;
import dev.lifeboat.events.VolumeCommand;
import java.time.Instant;

/**
 * Detach a volume from the fenced server it is expected on; a volume found on any other server is
 * left alone and reported.
 *
 * @param planned a planned removal's detach: every pod that used the volume was evicted and is gone
 *     from the node (its kubelet unmounted it), so the server, alive and not fenced, is not
 *     required to be off
 * @param notAfter when the saga stops waiting for this command: no component starts or continues it
 *     after that (null: no deadline)
 */
@EventType(name = "lifeboat.hcloud.detach-volume", version = 1)
public record DetachVolume(
    String messageId,
    String incidentId,
    Instant occurredAt,
    String commandId,
    long volumeId,
    long expectedServerId,
    @JsonInclude(JsonInclude.Include.NON_NULL) Instant notAfter,
    @JsonInclude(JsonInclude.Include.NON_DEFAULT) @JsonSetter(nulls = Nulls.AS_EMPTY)
        boolean planned)
    implements HcloudCommand, VolumeCommand {
  public DetachVolume {
    Require.envelope(messageId, incidentId, occurredAt, commandId);
    Require.id(volumeId, "volumeId");
    Require.id(expectedServerId, "expectedServerId");
  }

  /** A loss's detach, from the fenced server. */
  public DetachVolume(
      String messageId,
      String incidentId,
      Instant occurredAt,
      String commandId,
      long volumeId,
      long expectedServerId,
      Instant notAfter) {
    this(messageId, incidentId, occurredAt, commandId, volumeId, expectedServerId, notAfter, false);
  }

  /** Without a deadline. */
  public DetachVolume(
      String messageId,
      String incidentId,
      Instant occurredAt,
      String commandId,
      long volumeId,
      long expectedServerId) {
    this(messageId, incidentId, occurredAt, commandId, volumeId, expectedServerId, null, false);
  }

  /** The server the volume is detached from: the one it is expected on. */
  @Override
  public long serverId() {
    return expectedServerId;
  }
}
