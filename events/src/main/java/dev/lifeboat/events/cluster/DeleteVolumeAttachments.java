package dev.lifeboat.events.cluster;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.lifeboat.events.EventType;
import dev.lifeboat.events.Require;
import java.time.Instant;
import java.util.List;

/**
 * Delete the VolumeAttachments of these persistent volumes that still point at the fenced node. *
 *
 * @param notAfter when the saga stops waiting for this command: node-watcher neither starts nor
 *     goes on with it after that (null: no deadline)
 */
@EventType(name = "lifeboat.cluster.delete-volume-attachments", version = 1)
public record DeleteVolumeAttachments(
    String messageId,
    String incidentId,
    Instant occurredAt,
    String commandId,
    String nodeName,
    List<String> persistentVolumes,
    @JsonInclude(JsonInclude.Include.NON_NULL) Instant notAfter)
    implements ClusterCommand {
  public DeleteVolumeAttachments {
    Require.envelope(messageId, incidentId, occurredAt, commandId);
    Require.text(nodeName, "nodeName");
    persistentVolumes = Require.list(persistentVolumes);
  }

  /** Without a deadline. */
  public DeleteVolumeAttachments(
      String messageId,
      String incidentId,
      Instant occurredAt,
      String commandId,
      String nodeName,
      List<String> persistentVolumes) {
    this(messageId, incidentId, occurredAt, commandId, nodeName, persistentVolumes, null);
  }
}
