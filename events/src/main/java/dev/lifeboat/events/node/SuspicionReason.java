package dev.lifeboat.events.node;

/** Why node-watcher suspects a node, before or instead of declaring it gone. */
public enum SuspicionReason {
  /** The Lease is overdue but still within its grace. */
  LEASE_OVERDUE,
  /** Ready is not True but still within its grace. */
  NOT_READY,
  /** The node would be gone, but the storm guard holds the decision for a person. */
  STORM_GUARD
}
