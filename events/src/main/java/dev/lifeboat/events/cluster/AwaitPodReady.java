package dev.lifeboat.events.cluster;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.lifeboat.events.EventType;
import dev.lifeboat.events.Require;
import dev.lifeboat.events.VolumeCommand;
import dev.lifeboat.events.node.PodRef;
import java.time.Duration;
import java.time.Instant;

/**
 * Report when this pod is Ready with the volume mounted; fail after {@code timeout}.
 *
 * @param requeueFirst the persistent volume whose VolumeAttachment on the node to touch before the
 *     wait, as {@link RequeueVolumeAttachment} does, so that the CSI attacher looks at it again at
 *     once; null (left out of the record, so that version 1 records without it read as before) for
 *     none. A touch the API refuses fails the command, without a wait.
 * @param notAfter when the saga stops waiting for this command: node-watcher neither starts nor
 *     goes on with it after that (null: no deadline)
 */
@EventType(name = "lifeboat.cluster.await-pod-ready", version = 1)
public record AwaitPodReady(
    String messageId,
    String incidentId,
    Instant occurredAt,
    String commandId,
    long volumeId,
    PodRef pod,
    String nodeName,
    Duration timeout,
    @JsonInclude(JsonInclude.Include.NON_NULL) String requeueFirst,
    @JsonInclude(JsonInclude.Include.NON_NULL) Instant notAfter)
    implements ClusterCommand, VolumeCommand {
  public AwaitPodReady {
    Require.envelope(messageId, incidentId, occurredAt, commandId);
    Require.id(volumeId, "volumeId");
    Require.present(pod, "pod");
    Require.text(nodeName, "nodeName");
    Require.present(timeout, "timeout");
    if (requeueFirst != null) {
      Require.text(requeueFirst, "requeueFirst");
    }
  }

  /** Without a touch first, without a deadline. */
  public AwaitPodReady(
      String messageId,
      String incidentId,
      Instant occurredAt,
      String commandId,
      long volumeId,
      PodRef pod,
      String nodeName,
      Duration timeout) {
    this(
        messageId, incidentId, occurredAt, commandId, volumeId, pod, nodeName, timeout, null, null);
  }
}
