package dev.lifeboat.events.control;

import dev.lifeboat.events.EventType;
import dev.lifeboat.events.Require;
import java.time.Instant;

/**
 * Try again to move a volume whose flow ended failed, from the step where it stopped, with fresh
 * attempts.
 */
@EventType(name = "lifeboat.control.retry-volume", version = 1)
public record RetryVolume(
    String messageId,
    String incidentId,
    Instant occurredAt,
    String requestedBy,
    long volumeId,
    String reason)
    implements ControlRequest {
  public RetryVolume {
    Require.envelope(messageId, incidentId, occurredAt);
    Require.text(requestedBy, "requestedBy");
    Require.id(volumeId, "volumeId");
  }
}
