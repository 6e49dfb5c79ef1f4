package dev.lifeboat.events.saga;

/** The steps of an incident's saga, in order (docs/design.md). */
public enum Step {
  /** Decide which volumes can move at all. */
  PRE_FLIGHT,
  /** Power off (or delete) the lost node's server; once per incident. */
  FENCE,
  /** Detach a volume from the fenced server. */
  DETACH,
  /** Taint out-of-service, force-delete the pods, delete stale VolumeAttachments. */
  RELEASE,
  /** Wait until the replacement pod is bound to a healthy node in the volume's location. */
  RESCHEDULE,
  /** Attach the volume to that node's server. */
  ATTACH,
  /** Wait until the replacement pod is Ready with the volume mounted. */
  VERIFY
}
