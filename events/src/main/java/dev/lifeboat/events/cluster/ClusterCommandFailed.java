package dev.lifeboat.events.cluster;

import dev.lifeboat.events.Command;
import dev.lifeboat.events.EventType;
import dev.lifeboat.events.Require;
import java.time.Instant;

/**
 * A cluster command could not be carried out.
 *
 * @param code a stable code for the failure, such as {@code TIMEOUT} or {@code FORBIDDEN}
 * @param message what went wrong, in words
 * @param retryable whether the same command may succeed if sent again
 */
@EventType(name = "lifeboat.cluster.command-failed", version = 1)
public record ClusterCommandFailed(
    String messageId,
    String incidentId,
    Instant occurredAt,
    String commandId,
    String code,
    String message,
    boolean retryable)
    implements ClusterResult {
  public ClusterCommandFailed {
    Require.envelope(messageId, incidentId, occurredAt, commandId);
    Require.text(code, "code");
    Require.text(message, "message");
  }

  @Override
  public boolean answers(Class<? extends Command> commandType) {
    return ClusterCommand.class.isAssignableFrom(commandType);
  }
}
