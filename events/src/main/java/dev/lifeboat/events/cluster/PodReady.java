package dev.lifeboat.events.cluster;

import dev.lifeboat.events.Command;
import dev.lifeboat.events.EventType;
import dev.lifeboat.events.Require;
import dev.lifeboat.events.node.PodRef;
import java.time.Instant;

/** The replacement pod is Ready with its volume mounted: the volume's move is verified. */
@EventType(name = "lifeboat.cluster.pod-ready", version = 1)
public record PodReady(
    String messageId,
    String incidentId,
    Instant occurredAt,
    String commandId,
    long volumeId,
    PodRef pod,
    String nodeName)
    implements ClusterResult {
  public PodReady {
    Require.envelope(messageId, incidentId, occurredAt, commandId);
    Require.id(volumeId, "volumeId");
    Require.present(pod, "pod");
    Require.text(nodeName, "nodeName");
  }

  @Override
  public boolean answers(Class<? extends Command> commandType) {
    return commandType == AwaitPodReady.class;
  }
}
