package dev.lifeboat.events.cluster;

import dev.lifeboat.events.EventType;
import dev.lifeboat.events.Require;
import java.time.Instant;
import java.util.List;

/** Delete the VolumeAttachments of these persistent volumes that still point at the fenced node. */
@EventType(name = "lifeboat.cluster.delete-volume-attachments", version = 1)
public record DeleteVolumeAttachments(
    String messageId,
    String incidentId,
    Instant occurredAt,
    String commandId,
    String nodeName,
    List<String> persistentVolumes)
    implements ClusterCommand {
  public DeleteVolumeAttachments {
    Require.envelope(messageId, incidentId, occurredAt, commandId);
    Require.text(nodeName, "nodeName");
    persistentVolumes = Require.list(persistentVolumes);
  }
}
