package dev.lifeboat.events.cluster;

import dev.lifeboat.events.Command;
import dev.lifeboat.events.EventType;
import dev.lifeboat.events.Require;
import dev.lifeboat.events.node.PodRef;
import java.time.Instant;

/** The replacement pod of a volume is bound to a node: the volume must follow to its server. */
@EventType(name = "lifeboat.cluster.replacement-pod-scheduled", version = 1)
public record ReplacementPodScheduled(
    String messageId,
    String incidentId,
    Instant occurredAt,
    String commandId,
    long volumeId,
    PodRef pod,
    String nodeName,
    long serverId,
    String location)
    implements ClusterResult {
  public ReplacementPodScheduled {
    Require.envelope(messageId, incidentId, occurredAt, commandId);
    Require.id(volumeId, "volumeId");
    Require.present(pod, "pod");
    Require.text(nodeName, "nodeName");
    Require.id(serverId, "serverId");
    Require.text(location, "location");
  }

  @Override
  public boolean answers(Class<? extends Command> commandType) {
    return commandType == AwaitReplacementPod.class;
  }
}
