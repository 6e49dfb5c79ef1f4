package dev.lifeboat.events.control;

import dev.lifeboat.events.EventType;
import dev.lifeboat.events.Require;
import java.time.Instant;

/**
 * Maintenance: send no new mutating command for any incident until {@link ResumeCommands}; sent to
 * every partition of the control topic, with {@link #MAINTENANCE} as incident id.
 */
@EventType(name = "lifeboat.control.pause-commands", version = 1)
public record PauseCommands(
    String messageId, String incidentId, Instant occurredAt, String requestedBy, String reason)
    implements ControlRequest {

  /** The incident id (and key) of the requests that concern all incidents. */
  public static final String MAINTENANCE = "maintenance";

  public PauseCommands {
    Require.envelope(messageId, incidentId, occurredAt);
    Require.text(requestedBy, "requestedBy");
  }
}
