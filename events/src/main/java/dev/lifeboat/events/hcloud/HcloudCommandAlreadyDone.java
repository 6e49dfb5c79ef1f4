package dev.lifeboat.events.hcloud;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import dev.lifeboat.events.EventType;
import dev.lifeboat.events.Require;
import java.time.Instant;

/**
 * The goal already held when the adapter looked (server off or gone, volume already detached or
 * already on the target), so no mutating call was made.
 *
 * @param observed what the adapter saw, in words, such as {@code server 42 status off}
 * @param serverDeleted true when the server the command was about no longer exists (Hetzner
 *     detaches the volumes of a deleted server)
 */
@EventType(name = "lifeboat.hcloud.command-already-done", version = 1)
public record HcloudCommandAlreadyDone(
    String messageId,
    String incidentId,
    Instant occurredAt,
    String commandId,
    String observed,
    @JsonInclude(JsonInclude.Include.NON_DEFAULT) @JsonSetter(nulls = Nulls.AS_EMPTY)
        boolean serverDeleted)
    implements HcloudResult {
  public HcloudCommandAlreadyDone {
    Require.envelope(messageId, incidentId, occurredAt, commandId);
    Require.text(observed, "observed");
  }

  /** The goal held, and the server (if any) still exists. */
  public HcloudCommandAlreadyDone(
      String messageId, String incidentId, Instant occurredAt, String commandId, String observed) {
    this(messageId, incidentId, occurredAt, commandId, observed, false);
  }
}
