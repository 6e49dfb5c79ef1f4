package dev.lifeboat.events.inventory;

import dev.lifeboat.events.LifeboatMessage;

/**
 * What node-watcher knows of each node now; topic {@code node-inventory}, compacted, keyed by the
 * node's name (the message's {@code incidentId} is the node's name), so that the latest report of
 * every node is always there to read from the beginning.
 */
public sealed interface InventoryReport extends LifeboatMessage permits NodeInventory {}
