package dev.lifeboat.events.saga;

import dev.lifeboat.events.EventType;
import dev.lifeboat.events.Require;
import java.time.Instant;
import java.util.List;

/**
 * The incident ended with some volumes not moved, each with its reason.
 *
 * @param movedVolumes the ids of the volumes that moved
 * @param failures the volumes that did not, and why
 */
@EventType(name = "lifeboat.saga.incident-partial", version = 1)
public record IncidentPartial(
    String messageId,
    String incidentId,
    Instant occurredAt,
    List<Long> movedVolumes,
    List<VolumeFailure> failures)
    implements SagaEvent {
  public IncidentPartial {
    Require.envelope(messageId, incidentId, occurredAt);
    movedVolumes = Require.list(movedVolumes);
    failures = Require.list(failures);
    if (failures.isEmpty()) {
      throw new IllegalArgumentException("failures must name at least one volume");
    }
  }
}
