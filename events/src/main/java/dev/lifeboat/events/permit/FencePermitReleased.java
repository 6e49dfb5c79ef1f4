package dev.lifeboat.events.permit;

import dev.lifeboat.events.EventType;
import dev.lifeboat.events.Require;
import java.time.Instant;

/** The incident ended: it no longer counts as fencing (whether or not it was granted). */
@EventType(name = "lifeboat.permit.fence-permit-released", version = 1)
public record FencePermitReleased(String messageId, String incidentId, Instant occurredAt)
    implements PermitMessage {
  public FencePermitReleased {
    Require.envelope(messageId, incidentId, occurredAt);
  }
}
