package dev.lifeboat.events.hcloud;

import dev.lifeboat.events.Command;
import dev.lifeboat.events.EventType;
import dev.lifeboat.events.Require;
import java.time.Instant;

/**
 * What the Hetzner API said of a server an {@link ObserveServer} asked about.
 *
 * @param status the server's status as the API gives it ({@code running}, {@code off}, {@code
 *     starting}, ...), or {@value #DELETED} when the API does not find it while the same token
 *     reads the cluster's project
 * @param locked whether an action was running on the server (a start may be on its way)
 */
@EventType(name = "lifeboat.hcloud.server-observed", version = 1)
public record ServerObserved(
    String messageId,
    String incidentId,
    Instant occurredAt,
    String commandId,
    long serverId,
    String status,
    boolean locked)
    implements HcloudResult {

  /** The status of a server the API no longer has. */
  public static final String DELETED = "deleted";

  public ServerObserved {
    Require.envelope(messageId, incidentId, occurredAt, commandId);
    Require.id(serverId, "serverId");
    Require.text(status, "status");
  }

  @Override
  public boolean answers(Class<? extends Command> commandType) {
    return commandType == ObserveServer.class;
  }
}
