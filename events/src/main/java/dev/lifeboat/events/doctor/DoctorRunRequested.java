package dev.lifeboat.events.doctor;

import dev.lifeboat.events.EventType;
import dev.lifeboat.events.Require;
import java.time.Instant;

/**
 * A doctor run asked for: node-watcher's leader answers with a {@link ClusterSnapshotTaken},
 * hcloud-adapter with a {@link HetznerSnapshotTaken}, and the orchestrator compares them.
 *
 * @param incidentId {@link DoctorMessage#KEY}
 * @param runId the run's id
 * @param requestedBy {@code schedule}, or who asked through the API
 */
@EventType(name = "lifeboat.doctor.run-requested", version = 1)
public record DoctorRunRequested(
    String messageId, String incidentId, Instant occurredAt, String runId, String requestedBy)
    implements DoctorMessage {
  public DoctorRunRequested {
    Require.envelope(messageId, incidentId, occurredAt);
    Require.text(runId, "runId");
    Require.text(requestedBy, "requestedBy");
  }
}
