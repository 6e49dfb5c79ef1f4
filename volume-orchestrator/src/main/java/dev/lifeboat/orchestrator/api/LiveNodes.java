package dev.lifeboat.orchestrator.api;

import dev.lifeboat.events.MessageIds;
import dev.lifeboat.events.inventory.NodeInventory;
import dev.lifeboat.events.node.GoneReason;
import dev.lifeboat.events.node.NodeGone;
import dev.lifeboat.events.node.ServerDisposal;
import dev.lifeboat.orchestrator.messaging.NodeInventories;
import dev.lifeboat.service.api.ApiError;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response.Status;
import java.time.Clock;
import java.util.Optional;

/**
 * The cluster's nodes as node-watcher last reported them, in the API's terms: what a removal
 * request and the drill of a live node are answered from, with the same 404, 409 and 400 for both.
 */
@ApplicationScoped
public class LiveNodes {

  private final NodeInventories inventories;
  private final Clock clock;

  LiveNodes(NodeInventories inventories, Clock clock) {
    this.inventories = inventories;
    this.clock = clock;
  }

  /** The node's latest report, while its Node exists. */
  Optional<NodeInventory> find(String node) {
    return inventories.node(node).filter(known -> !known.deleted());
  }

  /**
   * The node a removal would empty: 404 for a node node-watcher has not reported (or whose Node is
   * gone), 409 naming why for one Lifeboat leaves alone.
   */
  NodeInventory removable(String node) {
    NodeInventory inventory =
        find(node)
            .orElseThrow(
                () ->
                    ApiError.of(
                        Status.NOT_FOUND,
                        "not_found",
                        "node "
                            + node
                            + " is not known"
                            + (inventories.caughtUp()
                                ? ""
                                : " yet (the node inventory is still being read: try again in a"
                                    + " few seconds)")));
    if (inventory.excludedBecause() != null) {
      throw ApiError.of(
          Status.CONFLICT,
          "excluded",
          "node " + node + " is excluded from Lifeboat: " + inventory.excludedBecause());
    }
    return inventory;
  }

  /** What becomes of the server, in the request's word: {@code delete} when none; else 400. */
  static ServerDisposal then(String word) {
    return word == null
        ? ServerDisposal.DELETE
        : ServerDisposal.of(word)
            .orElseThrow(
                () ->
                    ApiError.of(
                        Status.BAD_REQUEST,
                        "invalid_input",
                        "then must be one of " + ServerDisposal.words() + ", was " + word));
  }

  /**
   * The inventory a saga of this node would start from now: a loss (its Lease expired) or a removal
   * ({@code REMOVAL_REQUESTED}).
   */
  NodeGone asOfNow(NodeInventory node, GoneReason reason) {
    return new NodeGone(
        MessageIds.random(),
        "drill",
        clock.instant(),
        node.node(),
        reason,
        node.volumes(),
        node.eligibleNodes(),
        node.nodeLabels(),
        node.knownNodes());
  }
}
