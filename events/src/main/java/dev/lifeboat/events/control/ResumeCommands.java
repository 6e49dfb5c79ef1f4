package dev.lifeboat.events.control;

import dev.lifeboat.events.EventType;
import dev.lifeboat.events.Require;
import java.time.Instant;

/** End of maintenance: incidents send their held mutating commands again. */
@EventType(name = "lifeboat.control.resume-commands", version = 1)
public record ResumeCommands(
    String messageId, String incidentId, Instant occurredAt, String requestedBy, String reason)
    implements ControlRequest {
  public ResumeCommands {
    Require.envelope(messageId, incidentId, occurredAt);
    Require.text(requestedBy, "requestedBy");
  }
}
