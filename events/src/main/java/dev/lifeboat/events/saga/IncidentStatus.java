package dev.lifeboat.events.saga;

/**
 * Where an incident stands, as the orchestrator's saga decides it and the audit service shows it.
 * The saga's states are {@link #RUNNING}, {@link #HELD} and the three terminal ones; the audit
 * service also shows a node that was only ever suspected ({@link #SUSPECTED}) or came back before
 * it was declared gone ({@link #RETURNED}), which never reach the saga.
 */
public enum IncidentStatus {
  /** The node is suspected (its Lease is overdue, or the storm guard held it); no incident yet. */
  SUSPECTED,
  /** The node came back before it was declared gone; no incident was opened. */
  RETURNED,
  /** Steps are running. */
  RUNNING,
  /** Waiting for a person before fencing ({@link IncidentHeld} says why). */
  HELD,
  /** Every volume moved (or there was none to move). */
  COMPLETED,
  /** Some volumes did not move, each with its reason. */
  PARTIAL,
  /** Ended before any mutating command was sent. */
  CANCELLED;

  /** True for the states an incident ends in. */
  public boolean terminal() {
    return this == COMPLETED || this == PARTIAL || this == CANCELLED;
  }

  /** True while the saga of the incident has not ended: a person's request may still change it. */
  public boolean open() {
    return this == RUNNING || this == HELD;
  }
}
