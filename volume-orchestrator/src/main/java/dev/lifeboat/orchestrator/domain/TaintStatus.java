package dev.lifeboat.orchestrator.domain;

/**
 * Where the node-wide out-of-service taint, or the cordon of the node, stands. Each is a help, not
 * a need: per-volume force deletion releases the volumes anyway, so a taint that could not be
 * applied lets the flows go on, and without the cordon the pods wait for the taint.
 */
public enum TaintStatus {
  /** Not asked for yet: some volume is still on the server. */
  NONE,
  /** Asked for; the command is outstanding or will be retried. */
  PENDING,
  /** The node carries the taint. */
  APPLIED,
  /** Given up; the flows go on without it. */
  GIVEN_UP,
  /** Its attempt was abandoned by an abort; a volume retried later asks for it again. */
  ABANDONED,
  /**
   * Not applied on purpose: a volume that does not move stays on the server, and the taint would
   * have it force-detached.
   */
  NOT_APPLIED;

  /** True once the flows waiting for the taint may go on. */
  public boolean settled() {
    return this == APPLIED || this == GIVEN_UP || this == NOT_APPLIED;
  }
}
