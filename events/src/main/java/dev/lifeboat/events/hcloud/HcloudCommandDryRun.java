package dev.lifeboat.events.hcloud;

import dev.lifeboat.events.EventType;
import dev.lifeboat.events.Require;
import java.time.Instant;

/**
 * In dry-run mode the adapter observed the resource and would have made a mutating call, but did
 * not.
 *
 * @param wouldCall the call it would have made, such as {@code POST /volumes/100001/actions/attach
 *     {"server":4203}}
 * @param observed what it saw that made the call necessary
 */
@EventType(name = "lifeboat.hcloud.command-dry-run", version = 1)
public record HcloudCommandDryRun(
    String messageId,
    String incidentId,
    Instant occurredAt,
    String commandId,
    String wouldCall,
    String observed)
    implements HcloudResult {
  public HcloudCommandDryRun {
    Require.envelope(messageId, incidentId, occurredAt, commandId);
    Require.text(wouldCall, "wouldCall");
    Require.text(observed, "observed");
  }
}
