package dev.lifeboat.events.control;

import dev.lifeboat.events.EventType;
import dev.lifeboat.events.Require;
import java.time.Instant;

/** Stop an incident that has not fenced yet; once fenced, it runs to its end. */
@EventType(name = "lifeboat.control.cancel-incident", version = 1)
public record CancelIncident(
    String messageId, String incidentId, Instant occurredAt, String requestedBy, String reason)
    implements ControlRequest {
  public CancelIncident {
    Require.envelope(messageId, incidentId, occurredAt);
    Require.text(requestedBy, "requestedBy");
  }
}
