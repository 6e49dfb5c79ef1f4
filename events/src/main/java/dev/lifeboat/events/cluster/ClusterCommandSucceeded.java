package dev.lifeboat.events.cluster;

import dev.lifeboat.events.Command;
import dev.lifeboat.events.EventType;
import dev.lifeboat.events.Require;
import java.time.Instant;

/**
 * A taint, deletion or requeue command took effect.
 *
 * @param alreadyDone true when the cluster already was as asked and nothing had to change
 * @param detail what was done, in words
 */
@EventType(name = "lifeboat.cluster.command-succeeded", version = 1)
public record ClusterCommandSucceeded(
    String messageId,
    String incidentId,
    Instant occurredAt,
    String commandId,
    boolean alreadyDone,
    String detail)
    implements ClusterResult {
  public ClusterCommandSucceeded {
    Require.envelope(messageId, incidentId, occurredAt, commandId);
  }

  /** It answers the cluster commands that act; the waits are answered by what they wait for. */
  @Override
  public boolean answers(Class<? extends Command> commandType) {
    return ClusterCommand.class.isAssignableFrom(commandType)
        && commandType != AwaitReplacementPod.class
        && commandType != AwaitPodReady.class;
  }
}
