package dev.lifeboat.events.saga;

/** The steps of an incident's saga, in order (docs/design.md). */
public enum Step {
  /** Decide which volumes can move at all. */
  PRE_FLIGHT,
  /** Power off (or delete) the lost node's server; once per incident. */
  FENCE,
  /**
   * A planned removal: evict, through the Eviction API, the pods that use a volume, and wait until
   * they are gone from the node (its kubelet unmounted the volume).
   */
  EVICT,
  /** Detach a volume from the fenced server (or, in a removal, from the emptied one). */
  DETACH,
  /** Taint out-of-service, force-delete the pods, delete stale VolumeAttachments. */
  RELEASE,
  /** Wait until the replacement pod is bound to a healthy node in the volume's location. */
  RESCHEDULE,
  /** Attach the volume to that node's server. */
  ATTACH,
  /** Wait until the replacement pod is Ready with the volume mounted. */
  VERIFY,
  /**
   * A planned removal, once every volume moved: evict the node's other pods, then delete the
   * server, power it off or keep it, as asked, and delete the Node object of a deleted server.
   */
  FINISH
}
