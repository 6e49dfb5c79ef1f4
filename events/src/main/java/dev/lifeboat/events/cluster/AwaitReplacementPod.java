package dev.lifeboat.events.cluster;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.lifeboat.events.EventType;
import dev.lifeboat.events.Require;
import dev.lifeboat.events.VolumeCommand;
import dev.lifeboat.events.node.ClaimRef;
import java.time.Duration;
import java.time.Instant;

/**
 * Report when a pod using this claim, other than the one with {@code previousPodUid}, is bound to a
 * healthy node in {@code location}; fail after {@code timeout}.
 *
 * @param notAfter when the saga stops waiting for this command: node-watcher neither starts nor
 *     goes on with it after that (null: no deadline)
 */
@EventType(name = "lifeboat.cluster.await-replacement-pod", version = 1)
public record AwaitReplacementPod(
    String messageId,
    String incidentId,
    Instant occurredAt,
    String commandId,
    long volumeId,
    ClaimRef claim,
    String location,
    String previousPodUid,
    Duration timeout,
    @JsonInclude(JsonInclude.Include.NON_NULL) Instant notAfter)
    implements ClusterCommand, VolumeCommand {
  public AwaitReplacementPod {
    Require.envelope(messageId, incidentId, occurredAt, commandId);
    Require.id(volumeId, "volumeId");
    Require.present(claim, "claim");
    Require.text(location, "location");
    Require.present(timeout, "timeout");
  }

  /** Without a deadline. */
  public AwaitReplacementPod(
      String messageId,
      String incidentId,
      Instant occurredAt,
      String commandId,
      long volumeId,
      ClaimRef claim,
      String location,
      String previousPodUid,
      Duration timeout) {
    this(
        messageId,
        incidentId,
        occurredAt,
        commandId,
        volumeId,
        claim,
        location,
        previousPodUid,
        timeout,
        null);
  }
}
