package dev.lifeboat.events.permit;

import dev.lifeboat.events.EventType;
import dev.lifeboat.events.Require;
import java.time.Instant;

/**
 * A fenced incident asks how many of its volume flows may run at once. Granted up to the room left
 * under {@code limit} by the flows other incidents hold; refused when there is none. A person's
 * retry asks with {@code override} and is granted what it wants (and counted).
 *
 * @param wanted how many flows the incident would run at once
 * @param limit how many volume flows all incidents together may hold
 * @param override true when a person's retry asks past the limit
 */
@EventType(name = "lifeboat.permit.flow-slots-requested", version = 1)
public record FlowSlotsRequested(
    String messageId,
    String incidentId,
    Instant occurredAt,
    int wanted,
    int limit,
    boolean override)
    implements PermitMessage {
  public FlowSlotsRequested {
    Require.envelope(messageId, incidentId, occurredAt);
    if (wanted < 1) {
      throw new IllegalArgumentException("wanted must be at least 1, was " + wanted);
    }
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, was " + limit);
    }
  }
}
