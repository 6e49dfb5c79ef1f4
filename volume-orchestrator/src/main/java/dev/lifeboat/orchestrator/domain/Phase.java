package dev.lifeboat.orchestrator.domain;

import dev.lifeboat.events.saga.Step;

/**
 * Where one volume's flow stands within its incident: a step of {@link VolumeSteps}' table while it
 * runs, or one of the resting places between and after them.
 */
public enum Phase {
  /** Waiting for the incident's fence. */
  AWAITING_FENCE(Step.FENCE),
  /**
   * Fenced (in a removal: the node cordoned); waiting for a free slot under the per-incident limit
   * of volume flows.
   */
  QUEUED(Step.DETACH),
  /**
   * A planned removal: evicting the pods that use the volume and waiting until they are gone from
   * the node.
   */
  EVICT(Step.EVICT),
  /** Detaching from the fenced server (in a removal, from the emptied one). */
  DETACH(Step.DETACH),
  /**
   * Detached; waiting until every other volume its pods use is off the server and the node is
   * cordoned (or, without the cordon, until the node-wide taint is settled).
   */
  DETACHED(Step.RELEASE),
  /** Force-deleting its pods and deleting its stale VolumeAttachment. */
  RELEASE(Step.RELEASE),
  /** Waiting for the replacement pod to be bound. */
  RESCHEDULE(Step.RESCHEDULE),
  /** Attaching to the server of the replacement pod's node. */
  ATTACH(Step.ATTACH),
  /** Waiting for the replacement pod to be Ready. */
  VERIFY(Step.VERIFY),
  /** Moved: the replacement pod is Ready with the volume. */
  MOVED(null),
  /** A repair's last step succeeded (a doctor's repair: the volume detached). */
  REPAIRED(null),
  /** Given up, with a {@link dev.lifeboat.events.saga.VolumeFailure}. */
  FAILED(null),
  /** Opted out of failover; never touched. */
  SKIPPED(null),
  /**
   * Not yet detached when the fence stopped holding (the server runs again): stays on the server
   * and waits for a person, who resumes (fence again) or aborts.
   */
  HELD(Step.DETACH);

  private final Step step;

  Phase(Step step) {
    this.step = step;
  }

  /** The step a flow in this phase runs, or waits to run next; null once it ended. */
  public Step step() {
    return step;
  }

  /** True for the phases a flow ends in. */
  public boolean ended() {
    return this == MOVED || this == REPAIRED || this == FAILED || this == SKIPPED;
  }

  /** True for the phases that occupy one of the incident's slots for volume flows. */
  public boolean active() {
    return this == EVICT
        || this == DETACH
        || this == RELEASE
        || this == RESCHEDULE
        || this == ATTACH
        || this == VERIFY;
  }
}
