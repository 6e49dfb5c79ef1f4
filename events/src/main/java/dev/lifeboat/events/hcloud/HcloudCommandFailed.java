package dev.lifeboat.events.hcloud;

import dev.lifeboat.events.EventType;
import dev.lifeboat.events.Require;
import java.time.Instant;

/**
 * The command failed.
 *
 * @param errorCode the Hetzner error code ({@code locked}, {@code volume_already_attached}, ...) or
 *     one of the adapter's own, such as {@code attached_elsewhere}
 * @param errorMessage the error message
 * @param retryable whether sending the same command again may succeed
 * @param actionId the Hetzner action that ended in {@code error}, when there was one
 */
@EventType(name = "lifeboat.hcloud.command-failed", version = 1)
public record HcloudCommandFailed(
    String messageId,
    String incidentId,
    Instant occurredAt,
    String commandId,
    String errorCode,
    String errorMessage,
    boolean retryable,
    Long actionId)
    implements HcloudResult {
  public HcloudCommandFailed {
    Require.envelope(messageId, incidentId, occurredAt, commandId);
    Require.text(errorCode, "errorCode");
    Require.text(errorMessage, "errorMessage");
    Require.optionalId(actionId, "actionId");
  }
}
