package dev.lifeboat.events.cluster;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import dev.lifeboat.events.EventType;
import dev.lifeboat.events.Require;
import dev.lifeboat.events.node.PodRef;
import java.time.Instant;
import java.util.List;

/**
 * Delete the VolumeAttachments of these persistent volumes that still point at the fenced node;
 * first force-delete (grace period 0) the pods named, as {@link ForceDeletePods} does, and delete
 * no attachment unless that went through: a pod still bound to the node would make the
 * attach/detach controller attach its volume there again.
 *
 * @param forceDeleteFirst pods of the node to force-delete before the attachments; empty (left out
 *     of the record, so that version 1 records without it read as before) for none
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
    @JsonInclude(JsonInclude.Include.NON_EMPTY) @JsonSetter(nulls = Nulls.AS_EMPTY)
        List<PodRef> forceDeleteFirst,
    @JsonInclude(JsonInclude.Include.NON_NULL) Instant notAfter)
    implements ClusterCommand {
  public DeleteVolumeAttachments {
    Require.envelope(messageId, incidentId, occurredAt, commandId);
    Require.text(nodeName, "nodeName");
    persistentVolumes = Require.list(persistentVolumes);
    forceDeleteFirst = Require.list(forceDeleteFirst);
  }

  /** No pod to delete first, no deadline. */
  public DeleteVolumeAttachments(
      String messageId,
      String incidentId,
      Instant occurredAt,
      String commandId,
      String nodeName,
      List<String> persistentVolumes) {
    this(
        messageId, incidentId, occurredAt, commandId, nodeName, persistentVolumes, List.of(), null);
  }
}
