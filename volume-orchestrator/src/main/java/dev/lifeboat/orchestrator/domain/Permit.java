package dev.lifeboat.orchestrator.domain;

/**
 * Where an incident's fencing permit ({@link FencingPermits}), or its flow slots ({@link
 * FlowSlots}), stand.
 */
public enum Permit {
  /** Never asked for, or refused. */
  NONE,
  /** Asked for; the answer is on its way. */
  REQUESTED,
  /** Granted: counted (as fencing, or as the flows it holds) until given back. */
  GRANTED,
  /** Given back when the incident ended. */
  RELEASED
}
