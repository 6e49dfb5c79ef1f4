package dev.lifeboat.events.node;

/** Why node-watcher declared a node gone. */
public enum GoneReason {
  /** The Node object was deleted (by a person, the autoscaler or the cloud controller manager). */
  NODE_DELETED,
  /** The node's Lease in {@code kube-node-lease} was not renewed within the lease grace. */
  LEASE_EXPIRED,
  /** The Ready condition was not True for longer than the not-ready grace. */
  NOT_READY,
  /** The cloud controller manager tainted the node: its server is off. */
  SERVER_SHUTDOWN,
  /**
   * The node's Lease was overdue and the Hetzner API showed its server off or deleted: lost now,
   * without waiting for the grace (the orchestrator asked, with that evidence).
   */
  SERVER_OFF,
  /**
   * Not lost: a person asked to remove the node ({@link RemovalRequested}); the inventory of a
   * removal carries this reason.
   */
  REMOVAL_REQUESTED,
  /**
   * Not lost: a person asked for the repair of a doctor's finding ({@link RepairRequested}); the
   * inventory of a repair carries this reason.
   */
  REPAIR_REQUESTED
}
