package dev.lifeboat.events.saga;

import dev.lifeboat.events.EventType;
import dev.lifeboat.events.Require;
import java.time.Instant;

/**
 * An attempt of a step failed.
 *
 * @param volumeId the volume whose flow the step belongs to; null for incident-wide steps
 * @param errorCode a stable code, such as a Hetzner error code or {@code TIMEOUT}
 * @param message what went wrong, in words
 * @param giveUp true when no further attempt follows
 */
@EventType(name = "lifeboat.saga.step-failed", version = 1)
public record StepFailed(
    String messageId,
    String incidentId,
    Instant occurredAt,
    Step step,
    Long volumeId,
    int attempt,
    String errorCode,
    String message,
    boolean giveUp)
    implements SagaEvent {
  public StepFailed {
    Require.envelope(messageId, incidentId, occurredAt);
    Require.present(step, "step");
    Require.optionalId(volumeId, "volumeId");
    Require.attempt(attempt, "attempt");
    Require.text(errorCode, "errorCode");
    Require.text(message, "message");
  }
}
