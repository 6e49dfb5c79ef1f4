package dev.lifeboat.events.permit;

import dev.lifeboat.events.LifeboatMessage;

/**
 * The permits: the one place that decides how many incidents may fence at once (fencing permits)
 * and how many volume flows all incidents may run at once (flow slots); topic {@code
 * fencing-permits}. Requests, releases, returns and the adapter's budget reports are keyed by
 * {@link #AUTHORITY_KEY}, so that they all land on one partition and are decided one after the
 * other by whoever owns it; the answers are keyed by the incident, back to its own partition.
 */
public sealed interface PermitMessage extends LifeboatMessage
    permits FencePermitRequested,
        FencePermitReleased,
        FencePermitGranted,
        FencePermitRefused,
        FlowSlotsRequested,
        FlowSlotsReturned,
        FlowSlotsGranted,
        FlowSlotsRefused,
        BudgetReported {

  /** The record key of every request, release and return. */
  String AUTHORITY_KEY = "fencing-permits";

  /** Whether this message goes to the deciding partition (a request, release or return). */
  default boolean toAuthority() {
    return this instanceof FencePermitRequested
        || this instanceof FencePermitReleased
        || this instanceof FlowSlotsRequested
        || this instanceof FlowSlotsReturned
        || this instanceof BudgetReported;
  }
}
