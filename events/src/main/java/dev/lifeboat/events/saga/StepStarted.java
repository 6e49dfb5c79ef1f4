package dev.lifeboat.events.saga;

import dev.lifeboat.events.EventType;
import dev.lifeboat.events.Require;
import java.time.Instant;

/**
 * A step (or one more attempt of it) started.
 *
 * @param volumeId the volume whose flow the step belongs to; null for incident-wide steps
 * @param commandId the command sent for this attempt; null when the step sends none
 */
@EventType(name = "lifeboat.saga.step-started", version = 1)
public record StepStarted(
    String messageId,
    String incidentId,
    Instant occurredAt,
    Step step,
    Long volumeId,
    int attempt,
    String commandId)
    implements SagaEvent {
  public StepStarted {
    Require.envelope(messageId, incidentId, occurredAt);
    Require.present(step, "step");
    Require.optionalId(volumeId, "volumeId");
    Require.attempt(attempt, "attempt");
  }
}
