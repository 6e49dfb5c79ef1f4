package dev.lifeboat.events.hcloud;

import dev.lifeboat.events.EventType;
import dev.lifeboat.events.Require;
import java.time.Instant;

/**
 * The goal already held when the adapter looked (server off or gone, volume already detached or
 * already on the target), so no mutating call was made.
 *
 * @param observed what the adapter saw, in words, such as {@code server 42 status off}
 */
@EventType(name = "lifeboat.hcloud.command-already-done", version = 1)
public record HcloudCommandAlreadyDone(
    String messageId, String incidentId, Instant occurredAt, String commandId, String observed)
    implements HcloudResult {
  public HcloudCommandAlreadyDone {
    Require.envelope(messageId, incidentId, occurredAt, commandId);
    Require.text(observed, "observed");
  }
}
