package dev.lifeboat.orchestrator.domain;

/** Where an incident's fencing permit stands ({@link FencingPermits}). */
public enum Permit {
  /** Never asked for, or refused. */
  NONE,
  /** Asked for; the answer is on its way. */
  REQUESTED,
  /** Granted: the incident counts as fencing until it ends. */
  GRANTED,
  /** Given back when the incident ended. */
  RELEASED
}
