package dev.lifeboat.events.doctor;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.lifeboat.events.EventType;
import dev.lifeboat.events.Require;
import java.time.Instant;

/**
 * hcloud-adapter's answer to a {@link DoctorRunRequested}: the project as the Hetzner API lists it,
 * or why it could not be read.
 *
 * @param incidentId {@link DoctorMessage#KEY}
 * @param runId the run it answers
 * @param snapshot the Hetzner side; null when it could not be read
 * @param failure why it could not be read (the API's error code and message, never the token); null
 *     when it was
 */
@EventType(name = "lifeboat.doctor.hetzner-snapshot-taken", version = 1)
public record HetznerSnapshotTaken(
    String messageId,
    String incidentId,
    Instant occurredAt,
    String runId,
    @JsonInclude(JsonInclude.Include.NON_NULL) HetznerSnapshot snapshot,
    @JsonInclude(JsonInclude.Include.NON_NULL) String failure)
    implements DoctorMessage {
  public HetznerSnapshotTaken {
    Require.envelope(messageId, incidentId, occurredAt);
    Require.text(runId, "runId");
    if ((snapshot == null) == (failure == null)) {
      throw new IllegalArgumentException("exactly one of snapshot and failure is required");
    }
  }
}
