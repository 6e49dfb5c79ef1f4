package dev.lifeboat.orchestrator.domain;

/** Where one volume's flow stands within its incident. */
public enum Phase {
  /** Waiting for the incident's fence. */
  AWAITING_FENCE,
  /** Fenced; waiting for a free slot under the per-incident limit of volume flows. */
  QUEUED,
  /** Detaching from the fenced server. */
  DETACH,
  /** Detached; waiting until every volume of the incident is detached and the node is tainted. */
  DETACHED,
  /** Force-deleting its pods and deleting its stale VolumeAttachment. */
  RELEASE,
  /** Waiting for the replacement pod to be bound. */
  RESCHEDULE,
  /** Attaching to the server of the replacement pod's node. */
  ATTACH,
  /** Waiting for the replacement pod to be Ready. */
  VERIFY,
  /** Moved: the replacement pod is Ready with the volume. */
  MOVED,
  /** Given up, with a {@link dev.lifeboat.events.saga.VolumeFailure}. */
  FAILED,
  /** Opted out of failover; never touched. */
  SKIPPED;

  /** True for the phases a flow ends in. */
  public boolean ended() {
    return this == MOVED || this == FAILED || this == SKIPPED;
  }

  /** True for the phases that occupy one of the incident's slots for volume flows. */
  public boolean active() {
    return this == DETACH
        || this == RELEASE
        || this == RESCHEDULE
        || this == ATTACH
        || this == VERIFY;
  }
}
