package dev.lifeboat.events.saga;

import dev.lifeboat.events.EventType;
import dev.lifeboat.events.Require;
import java.time.Instant;

/**
 * The incident ended before its fence was proven: the node came back (a fence already sent may
 * still take effect; nothing else was sent, nor will be), or a person cancelled it before any
 * mutating command.
 *
 * @param reason why, in words
 */
@EventType(name = "lifeboat.saga.incident-cancelled", version = 1)
public record IncidentCancelled(
    String messageId, String incidentId, Instant occurredAt, String reason) implements SagaEvent {
  public IncidentCancelled {
    Require.envelope(messageId, incidentId, occurredAt);
    Require.text(reason, "reason");
  }
}
