package dev.lifeboat.events.permit;

import dev.lifeboat.events.EventType;
import dev.lifeboat.events.Require;
import java.time.Instant;

/**
 * The incident may run this many volume flows at once; they count against the limit until it
 * returns them.
 *
 * @param granted how many flows it may run at once (at most what it asked for)
 * @param othersHeld how many flows other incidents held when this one was granted
 */
@EventType(name = "lifeboat.permit.flow-slots-granted", version = 1)
public record FlowSlotsGranted(
    String messageId, String incidentId, Instant occurredAt, int granted, int othersHeld)
    implements PermitMessage {
  public FlowSlotsGranted {
    Require.envelope(messageId, incidentId, occurredAt);
    if (granted < 1) {
      throw new IllegalArgumentException("granted must be at least 1, was " + granted);
    }
  }
}
