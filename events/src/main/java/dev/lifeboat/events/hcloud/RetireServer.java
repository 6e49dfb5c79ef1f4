package dev.lifeboat.events.hcloud;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.lifeboat.events.EventType;
import dev.lifeboat.events.Require;
import dev.lifeboat.events.node.ServerDisposal;
import java.time.Instant;

/**
 * The end of a planned removal: delete the emptied server ({@code DELETE /servers/{id}}) or power
 * it off, only once Hetzner shows no volume attached to it (the adapter reads it just before and
 * refuses, {@code volumes_attached}, otherwise). A server that no longer exists is already retired.
 *
 * @param disposal {@link ServerDisposal#DELETE} or {@link ServerDisposal#POWEROFF}
 * @param notAfter when the saga stops waiting for this command: no component starts or continues it
 *     after that (null: no deadline)
 */
@EventType(name = "lifeboat.hcloud.retire-server", version = 1)
public record RetireServer(
    String messageId,
    String incidentId,
    Instant occurredAt,
    String commandId,
    long serverId,
    ServerDisposal disposal,
    @JsonInclude(JsonInclude.Include.NON_NULL) Instant notAfter)
    implements HcloudCommand {
  public RetireServer {
    Require.envelope(messageId, incidentId, occurredAt, commandId);
    Require.id(serverId, "serverId");
    Require.present(disposal, "disposal");
    if (disposal == ServerDisposal.KEEP) {
      throw new IllegalArgumentException("a server kept is not retired: send no RetireServer");
    }
  }
}
