package dev.lifeboat.events.hcloud;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import dev.lifeboat.events.EventType;
import dev.lifeboat.events.Require;
import java.time.Instant;
import java.util.List;

/**
 * Fence a server of a disposable pool by deleting it ({@code DELETE /servers/{id}}), which also
 * detaches all its volumes.
 *
 * @param witnessServerIds servers of other nodes of the same cluster: the adapter takes a {@code
 *     not_found} for this server as proof of its deletion only while the same token reads one of
 *     them (a token of another project, or a wrong API URL, answers not_found for everything)
 * @param notAfter when the saga stops waiting for this command: no component starts or continues it
 *     after that (null: no deadline)
 */
@EventType(name = "lifeboat.hcloud.delete-server", version = 1)
public record DeleteServer(
    String messageId,
    String incidentId,
    Instant occurredAt,
    String commandId,
    long serverId,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) @JsonSetter(nulls = Nulls.AS_EMPTY)
        List<Long> witnessServerIds,
    @JsonInclude(JsonInclude.Include.NON_NULL) Instant notAfter)
    implements FenceCommand {
  public DeleteServer {
    Require.envelope(messageId, incidentId, occurredAt, commandId);
    Require.id(serverId, "serverId");
    witnessServerIds = Require.list(witnessServerIds);
  }

  /** Without witnesses: a not_found for the server then proves its deletion only by the list. */
  public DeleteServer(
      String messageId, String incidentId, Instant occurredAt, String commandId, long serverId) {
    this(messageId, incidentId, occurredAt, commandId, serverId, List.of(), null);
  }
}
