package dev.lifeboat.events.permit;

import dev.lifeboat.events.EventType;
import dev.lifeboat.events.Require;
import java.time.Instant;

/**
 * Other incidents hold every flow the limit allows: the incident waits and asks again.
 *
 * @param othersHeld how many flows other incidents hold
 * @param limit the limit the request named
 */
@EventType(name = "lifeboat.permit.flow-slots-refused", version = 1)
public record FlowSlotsRefused(
    String messageId, String incidentId, Instant occurredAt, int othersHeld, int limit)
    implements PermitMessage {
  public FlowSlotsRefused {
    Require.envelope(messageId, incidentId, occurredAt);
  }
}
