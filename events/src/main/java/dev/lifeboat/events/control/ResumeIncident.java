package dev.lifeboat.events.control;

import dev.lifeboat.events.EventType;
import dev.lifeboat.events.Require;
import java.time.Instant;

/** Let an incident held by the fencing cap (or the storm guard) go on. */
@EventType(name = "lifeboat.control.resume-incident", version = 1)
public record ResumeIncident(
    String messageId, String incidentId, Instant occurredAt, String requestedBy, String reason)
    implements ControlRequest {
  public ResumeIncident {
    Require.envelope(messageId, incidentId, occurredAt);
    Require.text(requestedBy, "requestedBy");
  }
}
