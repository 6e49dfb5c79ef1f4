package dev.lifeboat.events.saga;

import dev.lifeboat.events.EventType;
import dev.lifeboat.events.Require;
import java.time.Instant;

/**
 * A person's request reached the saga in a state that does not allow it (the incident moved on
 * between the API's answer and the request's arrival), so the saga did nothing; this says why.
 *
 * @param requestId the message id of the control request
 * @param request the CloudEvents type of the request, such as {@code
 *     lifeboat.control.cancel-incident.v1}
 * @param reason why it was refused, in words
 */
@EventType(name = "lifeboat.saga.request-refused", version = 1)
public record RequestRefused(
    String messageId,
    String incidentId,
    Instant occurredAt,
    String requestId,
    String request,
    String reason)
    implements SagaEvent {
  public RequestRefused {
    Require.envelope(messageId, incidentId, occurredAt);
    Require.text(requestId, "requestId");
    Require.text(request, "request");
    Require.text(reason, "reason");
  }
}
