package dev.lifeboat.events.saga;

import dev.lifeboat.events.EventType;
import dev.lifeboat.events.Require;
import java.time.Instant;

/**
 * A failed step will be tried again.
 *
 * @param volumeId the volume whose flow the step belongs to; null for incident-wide steps
 * @param nextAttempt the number of the coming attempt
 * @param retryAt when it will start
 * @param reason why the last attempt failed
 */
@EventType(name = "lifeboat.saga.retry-scheduled", version = 1)
public record RetryScheduled(
    String messageId,
    String incidentId,
    Instant occurredAt,
    Step step,
    Long volumeId,
    int nextAttempt,
    Instant retryAt,
    String reason)
    implements SagaEvent {
  public RetryScheduled {
    Require.envelope(messageId, incidentId, occurredAt);
    Require.present(step, "step");
    Require.optionalId(volumeId, "volumeId");
    Require.attempt(nextAttempt, "nextAttempt");
    Require.present(retryAt, "retryAt");
    Require.text(reason, "reason");
  }
}
