package dev.lifeboat.events.doctor;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.lifeboat.events.EventType;
import dev.lifeboat.events.Require;
import java.time.Instant;
import java.util.List;

/**
 * The orchestrator's report of a doctor run: what is wrong now, or why the run could not compare
 * the two sides.
 *
 * @param incidentId {@link DoctorMessage#KEY}
 * @param runId the run
 * @param requestedBy who asked for the run
 * @param findings what is reported now
 * @param settling what was seen but has not held long enough to report (the next run counts from
 *     it)
 * @param headroom the rate budget against the biggest node's loss; null when the run failed
 * @param failure why the run compared nothing (a side did not answer in time, or could not be
 *     read); null when it did
 */
@EventType(name = "lifeboat.doctor.report", version = 1)
public record DoctorReport(
    String messageId,
    String incidentId,
    Instant occurredAt,
    String runId,
    String requestedBy,
    List<Finding> findings,
    List<Finding> settling,
    @JsonInclude(JsonInclude.Include.NON_NULL) Headroom headroom,
    @JsonInclude(JsonInclude.Include.NON_NULL) String failure)
    implements DoctorMessage {
  public DoctorReport {
    Require.envelope(messageId, incidentId, occurredAt);
    Require.text(runId, "runId");
    Require.text(requestedBy, "requestedBy");
    findings = Require.list(findings);
    settling = Require.list(settling);
  }

  /** Whether the run compared the two sides. */
  public boolean compared() {
    return failure == null;
  }
}
