package dev.lifeboat.orchestrator.domain;

/** Where an incident's saga stands. */
public enum IncidentStatus {
  /** Steps are running. */
  RUNNING,
  /** Waiting for a person before fencing (fencing cap, or a fence the policy cannot prove). */
  HELD,
  /** Every volume moved (or there was none to move). */
  COMPLETED,
  /** Some volumes did not move, each with its reason. */
  PARTIAL,
  /** Ended before any mutating command was sent. */
  CANCELLED;

  /** True for the states a saga ends in. */
  public boolean terminal() {
    return this == COMPLETED || this == PARTIAL || this == CANCELLED;
  }
}
