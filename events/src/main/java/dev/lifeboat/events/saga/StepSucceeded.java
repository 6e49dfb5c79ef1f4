package dev.lifeboat.events.saga;

import dev.lifeboat.events.EventType;
import dev.lifeboat.events.Require;
import java.time.Instant;

/**
 * A step reached its goal.
 *
 * @param volumeId the volume whose flow the step belongs to; null for incident-wide steps
 * @param detail what was found or done, in words
 */
@EventType(name = "lifeboat.saga.step-succeeded", version = 1)
public record StepSucceeded(
    String messageId,
    String incidentId,
    Instant occurredAt,
    Step step,
    Long volumeId,
    int attempt,
    String detail)
    implements SagaEvent {
  public StepSucceeded {
    Require.envelope(messageId, incidentId, occurredAt);
    Require.present(step, "step");
    Require.optionalId(volumeId, "volumeId");
    Require.attempt(attempt, "attempt");
  }
}
