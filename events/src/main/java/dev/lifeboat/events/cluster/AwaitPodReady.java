package dev.lifeboat.events.cluster;

import dev.lifeboat.events.EventType;
import dev.lifeboat.events.Require;
import dev.lifeboat.events.VolumeCommand;
import dev.lifeboat.events.node.PodRef;
import java.time.Duration;
import java.time.Instant;

/** Report when this pod is Ready with the volume mounted; fail after {@code timeout}. */
@EventType(name = "lifeboat.cluster.await-pod-ready", version = 1)
public record AwaitPodReady(
    String messageId,
    String incidentId,
    Instant occurredAt,
    String commandId,
    long volumeId,
    PodRef pod,
    String nodeName,
    Duration timeout)
    implements ClusterCommand, VolumeCommand {
  public AwaitPodReady {
    Require.envelope(messageId, incidentId, occurredAt, commandId);
    Require.id(volumeId, "volumeId");
    Require.present(pod, "pod");
    Require.text(nodeName, "nodeName");
    Require.present(timeout, "timeout");
  }
}
