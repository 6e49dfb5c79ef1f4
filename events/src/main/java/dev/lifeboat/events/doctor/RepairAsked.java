package dev.lifeboat.events.doctor;

import dev.lifeboat.events.EventType;
import dev.lifeboat.events.Require;
import java.time.Instant;

/**
 * A person asked for the repair of a finding ({@code POST /api/doctor/findings/{id}/repair}). It
 * follows the {@link DoctorRunRequested} of a fresh run: once both sides have answered that run,
 * the owner of the doctor checks the finding again on its snapshots and answers with a {@link
 * RepairAnswered}.
 *
 * @param incidentId {@link DoctorMessage#KEY}
 * @param runId the fresh run the finding is checked again on
 * @param repairId the repair's id
 * @param findingId the finding, as the last report named it
 * @param requestedBy who asked
 */
@EventType(name = "lifeboat.doctor.repair-asked", version = 1)
public record RepairAsked(
    String messageId,
    String incidentId,
    Instant occurredAt,
    String runId,
    String repairId,
    String findingId,
    String requestedBy)
    implements DoctorMessage {
  public RepairAsked {
    Require.envelope(messageId, incidentId, occurredAt);
    Require.text(runId, "runId");
    Require.text(repairId, "repairId");
    Require.text(findingId, "findingId");
    Require.text(requestedBy, "requestedBy");
  }
}
