package dev.lifeboat.events.doctor;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.lifeboat.events.EventType;
import dev.lifeboat.events.Require;
import java.time.Instant;

/**
 * The answer to a {@link RepairAsked}: the repair started as a saga of its own, or why not.
 *
 * @param incidentId {@link DoctorMessage#KEY}
 * @param runId the run the finding was checked again on
 * @param repairId the repair
 * @param findingId the finding
 * @param verdict what became of the request
 * @param reason what changed, or why it could not be checked; null when it started
 * @param repair what the saga does; null unless it started
 * @param repairIncidentId the saga's id, whose timeline the audit keeps; null unless it started
 */
@EventType(name = "lifeboat.doctor.repair-answered", version = 1)
public record RepairAnswered(
    String messageId,
    String incidentId,
    Instant occurredAt,
    String runId,
    String repairId,
    String findingId,
    Verdict verdict,
    @JsonInclude(JsonInclude.Include.NON_NULL) String reason,
    @JsonInclude(JsonInclude.Include.NON_NULL) Repair repair,
    @JsonInclude(JsonInclude.Include.NON_NULL) String repairIncidentId)
    implements DoctorMessage {
  public RepairAnswered {
    Require.envelope(messageId, incidentId, occurredAt);
    Require.text(runId, "runId");
    Require.text(repairId, "repairId");
    Require.text(findingId, "findingId");
    Require.present(verdict, "verdict");
    if (verdict == Verdict.STARTED) {
      Require.present(repair, "repair");
      Require.text(repairIncidentId, "repairIncidentId");
    } else {
      Require.text(reason, "reason");
    }
  }

  /** What became of a repair asked for. */
  public enum Verdict {
    /** The finding still holds with the same repair: its saga was opened. */
    STARTED,
    /** The finding no longer holds, or its repair's precondition fails now; nothing was done. */
    REFUSED,
    /** The last report has no finding of that id; nothing was done. */
    UNKNOWN_FINDING,
    /** The fresh run failed, so the finding could not be checked again; nothing was done. */
    NOT_CHECKED
  }
}
