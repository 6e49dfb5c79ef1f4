package dev.lifeboat.events.saga;

import dev.lifeboat.events.EventType;
import dev.lifeboat.events.Require;
import java.time.Instant;
import java.util.List;

/**
 * Every volume of the incident moved and its pod runs (or there was nothing to move).
 *
 * @param movedVolumes the ids of the volumes that moved
 */
@EventType(name = "lifeboat.saga.incident-completed", version = 1)
public record IncidentCompleted(
    String messageId, String incidentId, Instant occurredAt, List<Long> movedVolumes)
    implements SagaEvent {
  public IncidentCompleted {
    Require.envelope(messageId, incidentId, occurredAt);
    movedVolumes = Require.list(movedVolumes);
  }
}
