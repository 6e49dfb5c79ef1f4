package dev.lifeboat.events.saga;

import dev.lifeboat.events.EventType;
import dev.lifeboat.events.Require;
import java.time.Instant;

/**
 * The incident waits for a person before it fences: a guard said so (the fencing cap, a fence the
 * policy cannot prove). A person resumes it (which fences) or cancels it.
 *
 * @param code a stable code, one of {@link dev.lifeboat.events.FailureCodes}' hold codes
 * @param reason why, in words
 */
@EventType(name = "lifeboat.saga.incident-held", version = 1)
public record IncidentHeld(
    String messageId, String incidentId, Instant occurredAt, String code, String reason)
    implements SagaEvent {
  public IncidentHeld {
    Require.envelope(messageId, incidentId, occurredAt);
    Require.text(code, "code");
    Require.text(reason, "reason");
  }
}
