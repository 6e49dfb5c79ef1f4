package dev.lifeboat.events.doctor;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.lifeboat.events.EventType;
import dev.lifeboat.events.Require;
import java.time.Instant;

/**
 * node-watcher's answer to a {@link DoctorRunRequested}: the cluster as its informers hold it, or
 * why it cannot say (its watches are down, so its caches may be stale).
 *
 * @param incidentId {@link DoctorMessage#KEY}
 * @param runId the run it answers
 * @param snapshot the cluster side; null when it cannot say
 * @param failure why it cannot say; null when it can
 */
@EventType(name = "lifeboat.doctor.cluster-snapshot-taken", version = 1)
public record ClusterSnapshotTaken(
    String messageId,
    String incidentId,
    Instant occurredAt,
    String runId,
    @JsonInclude(JsonInclude.Include.NON_NULL) ClusterSnapshot snapshot,
    @JsonInclude(JsonInclude.Include.NON_NULL) String failure)
    implements DoctorMessage {
  public ClusterSnapshotTaken {
    Require.envelope(messageId, incidentId, occurredAt);
    Require.text(runId, "runId");
    if ((snapshot == null) == (failure == null)) {
      throw new IllegalArgumentException("exactly one of snapshot and failure is required");
    }
  }
}
