package dev.lifeboat.events.permit;

import dev.lifeboat.events.EventType;
import dev.lifeboat.events.Require;
import java.time.Instant;
import java.util.List;

/**
 * The incident may fence; it counts as fencing until it releases its permit.
 *
 * @param others the other incidents holding a permit when this one was granted
 */
@EventType(name = "lifeboat.permit.fence-permit-granted", version = 1)
public record FencePermitGranted(
    String messageId, String incidentId, Instant occurredAt, List<String> others)
    implements PermitMessage {
  public FencePermitGranted {
    Require.envelope(messageId, incidentId, occurredAt);
    others = Require.list(others);
  }
}
