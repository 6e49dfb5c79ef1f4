package dev.lifeboat.events.cluster;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.lifeboat.events.EventType;
import dev.lifeboat.events.Require;
import dev.lifeboat.events.VolumeCommand;
import java.time.Instant;

/**
 * Touch (annotate) the VolumeAttachment of this volume on this node, so the CSI attacher checks it
 * again at once instead of after its back-off.
 *
 * @param notAfter when the saga stops waiting for this command: node-watcher neither starts nor
 *     goes on with it after that (null: no deadline)
 */
@EventType(name = "lifeboat.cluster.requeue-volume-attachment", version = 1)
public record RequeueVolumeAttachment(
    String messageId,
    String incidentId,
    Instant occurredAt,
    String commandId,
    long volumeId,
    String persistentVolume,
    String nodeName,
    @JsonInclude(JsonInclude.Include.NON_NULL) Instant notAfter)
    implements ClusterCommand, VolumeCommand {
  public RequeueVolumeAttachment {
    Require.envelope(messageId, incidentId, occurredAt, commandId);
    Require.id(volumeId, "volumeId");
    Require.text(persistentVolume, "persistentVolume");
    Require.text(nodeName, "nodeName");
  }

  /** Without a deadline. */
  public RequeueVolumeAttachment(
      String messageId,
      String incidentId,
      Instant occurredAt,
      String commandId,
      long volumeId,
      String persistentVolume,
      String nodeName) {
    this(messageId, incidentId, occurredAt, commandId, volumeId, persistentVolume, nodeName, null);
  }
}
