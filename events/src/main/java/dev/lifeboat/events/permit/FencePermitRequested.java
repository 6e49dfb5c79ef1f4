package dev.lifeboat.events.permit;

import dev.lifeboat.events.EventType;
import dev.lifeboat.events.Require;
import java.time.Instant;

/**
 * An incident asks to fence its node's server. Granted while fewer than {@code cap} other incidents
 * hold a permit; a person's resume asks with {@code override} and is always granted (and counted).
 *
 * @param nodeName the lost node, for the timeline
 * @param cap how many incidents may fence at once, from the cluster's size the incident knows
 * @param override true when a person resumed the incident past the cap
 */
@EventType(name = "lifeboat.permit.fence-permit-requested", version = 1)
public record FencePermitRequested(
    String messageId,
    String incidentId,
    Instant occurredAt,
    String nodeName,
    int cap,
    boolean override)
    implements PermitMessage {
  public FencePermitRequested {
    Require.envelope(messageId, incidentId, occurredAt);
    Require.text(nodeName, "nodeName");
    if (cap < 1) {
      throw new IllegalArgumentException("cap must be at least 1, was " + cap);
    }
  }
}
