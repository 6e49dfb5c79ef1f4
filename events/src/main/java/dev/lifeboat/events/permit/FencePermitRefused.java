package dev.lifeboat.events.permit;

import dev.lifeboat.events.EventType;
import dev.lifeboat.events.Require;
import java.time.Instant;
import java.util.List;

/**
 * The cap is reached: the incident waits for a person.
 *
 * @param others the incidents holding a permit
 * @param cap the cap the request named
 */
@EventType(name = "lifeboat.permit.fence-permit-refused", version = 1)
public record FencePermitRefused(
    String messageId, String incidentId, Instant occurredAt, List<String> others, int cap)
    implements PermitMessage {
  public FencePermitRefused {
    Require.envelope(messageId, incidentId, occurredAt);
    others = Require.list(others);
  }
}
