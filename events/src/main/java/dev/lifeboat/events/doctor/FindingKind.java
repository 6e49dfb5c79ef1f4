package dev.lifeboat.events.doctor;

/** What a doctor finding is about; the numbers are those of docs/doctor.md. */
public enum FindingKind {
  /** 1: a cluster volume attached to a server that has no Node. */
  VOLUME_ON_SERVER_WITHOUT_NODE,
  /** 2: a VolumeAttachment says attached where Hetzner shows the volume elsewhere or nowhere. */
  ATTACHMENT_NOT_AT_HETZNER,
  /** 3: a pod waits on node B for a volume Hetzner has attached to server A. */
  MULTI_ATTACH_WAIT,
  /** 4: a PersistentVolume whose Hetzner volume does not exist. */
  VOLUME_MISSING_AT_HETZNER,
  /** 4: a Hetzner volume that no PersistentVolume names (it still costs money). */
  VOLUME_WITHOUT_PERSISTENT_VOLUME,
  /** 5: losing this node now would leave some of its volumes unmoved. */
  NO_ROOM_AFTER_LOSS,
  /** 6: the rate budget left is less than moving the biggest node's volumes would take. */
  RATE_BUDGET_SHORT,
  /** 7: a StatefulSet's volume is deleted with its claim (reclaim policy Delete). */
  RECLAIM_POLICY_DELETE,
  /** 7: a volume Hetzner would delete on request (no delete protection). */
  NO_DELETE_PROTECTION;

  /**
   * Whether a finding of this kind is also what an attach or detach in flight looks like, so that
   * it is reported only once it has lasted a while.
   */
  public boolean mustLast() {
    return this == VOLUME_ON_SERVER_WITHOUT_NODE
        || this == ATTACHMENT_NOT_AT_HETZNER
        || this == MULTI_ATTACH_WAIT;
  }
}
