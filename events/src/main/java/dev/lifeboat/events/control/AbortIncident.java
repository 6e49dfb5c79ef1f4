package dev.lifeboat.events.control;

import dev.lifeboat.events.EventType;
import dev.lifeboat.events.Require;
import java.time.Instant;

/**
 * Stop an incident at any point: no further command is sent for it, and every volume not yet moved
 * ends failed with reason {@code ABORTED}, left where it is.
 */
@EventType(name = "lifeboat.control.abort-incident", version = 1)
public record AbortIncident(
    String messageId, String incidentId, Instant occurredAt, String requestedBy, String reason)
    implements ControlRequest {
  public AbortIncident {
    Require.envelope(messageId, incidentId, occurredAt);
    Require.text(requestedBy, "requestedBy");
  }
}
