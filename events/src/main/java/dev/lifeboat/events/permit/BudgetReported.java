package dev.lifeboat.events.permit;

import dev.lifeboat.events.EventType;
import dev.lifeboat.events.Require;
import java.time.Instant;

/**
 * The hcloud adapter's view of the project's Hetzner API budget, sent to where the flow slots are
 * decided while the budget is short (and once more when it is not any longer), so that no more
 * volumes are moved at once than the budget can carry before their steps' deadlines. It belongs to
 * no incident: its {@code incidentId} is {@link PermitMessage#AUTHORITY_KEY}, its key.
 *
 * @param remaining requests left in the bucket, as the adapter estimates them
 * @param limit the bucket's size
 * @param refillPerSecond requests the API adds back per second
 * @param servedPerSecond requests this adapter made per second over the last minute: while the
 *     budget is short, the share of the refill it gets (other clients spend the same budget)
 * @param waiting calls waiting for the budget now
 * @param constrained true while calls wait or the bucket is below half; false in the report that
 *     says it is no longer short
 */
@EventType(name = "lifeboat.permit.budget-reported", version = 1)
public record BudgetReported(
    String messageId,
    String incidentId,
    Instant occurredAt,
    int remaining,
    int limit,
    double refillPerSecond,
    double servedPerSecond,
    int waiting,
    boolean constrained)
    implements PermitMessage {
  public BudgetReported {
    Require.envelope(messageId, incidentId, occurredAt);
  }
}
