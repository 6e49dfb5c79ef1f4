package dev.lifeboat.events.permit;

import dev.lifeboat.events.EventType;
import dev.lifeboat.events.Require;
import java.time.Instant;

/**
 * The incident needs fewer flows than it holds (some ended), or none (it ended): it keeps {@code
 * kept} and gives the rest back.
 *
 * @param kept how many flows it still holds; 0 gives them all back
 */
@EventType(name = "lifeboat.permit.flow-slots-returned", version = 1)
public record FlowSlotsReturned(String messageId, String incidentId, Instant occurredAt, int kept)
    implements PermitMessage {
  public FlowSlotsReturned {
    Require.envelope(messageId, incidentId, occurredAt);
    if (kept < 0) {
      throw new IllegalArgumentException("kept must not be negative, was " + kept);
    }
  }
}
