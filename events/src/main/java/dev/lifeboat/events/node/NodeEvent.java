package dev.lifeboat.events.node;

import dev.lifeboat.events.LifeboatMessage;

/** A fact about a node, observed by node-watcher; topic {@code node-events}. */
public sealed interface NodeEvent extends LifeboatMessage
    permits NodeSuspected,
        NodeGone,
        NodeReturned,
        StormGuardTripped,
        RemovalRequested,
        RepairRequested {

  /** The node the fact is about. */
  NodeRef node();
}
