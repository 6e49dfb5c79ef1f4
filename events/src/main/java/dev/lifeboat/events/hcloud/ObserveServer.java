package dev.lifeboat.events.hcloud;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.lifeboat.events.EventType;
import dev.lifeboat.events.Require;
import java.time.Instant;

/**
 * Read a suspected node's server once, changing nothing: the second side of the evidence of a loss
 * (docs/design.md: detection from both sides). The adapter answers {@link ServerObserved}, or
 * {@link HcloudCommandFailed} when the API could not say.
 *
 * @param notAfter when the orchestrator stops caring for the answer (the Lease grace will have
 *     decided by then); null: no deadline
 */
@EventType(name = "lifeboat.hcloud.observe-server", version = 1)
public record ObserveServer(
    String messageId,
    String incidentId,
    Instant occurredAt,
    String commandId,
    long serverId,
    @JsonInclude(JsonInclude.Include.NON_NULL) Instant notAfter)
    implements HcloudCommand {
  public ObserveServer {
    Require.envelope(messageId, incidentId, occurredAt, commandId);
    Require.id(serverId, "serverId");
  }
}
