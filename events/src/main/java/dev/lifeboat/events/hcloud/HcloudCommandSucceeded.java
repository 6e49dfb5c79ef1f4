package dev.lifeboat.events.hcloud;

import dev.lifeboat.events.EventType;
import dev.lifeboat.events.Require;
import java.time.Instant;

/**
 * The Hetzner action that carried out the command finished with status {@code success}.
 *
 * @param actionId the Hetzner action id
 * @param actionStarted when Hetzner started the action
 * @param actionFinished when Hetzner finished it
 */
@EventType(name = "lifeboat.hcloud.command-succeeded", version = 1)
public record HcloudCommandSucceeded(
    String messageId,
    String incidentId,
    Instant occurredAt,
    String commandId,
    long actionId,
    Instant actionStarted,
    Instant actionFinished)
    implements HcloudResult {
  public HcloudCommandSucceeded {
    Require.envelope(messageId, incidentId, occurredAt, commandId);
    Require.id(actionId, "actionId");
  }
}
