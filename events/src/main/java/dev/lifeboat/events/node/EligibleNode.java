package dev.lifeboat.events.node;

import dev.lifeboat.events.Require;

/**
 * A healthy node that a volume could move to.
 *
 * @param name the Node's name
 * @param serverId its Hetzner server id
 * @param location its Hetzner location
 */
public record EligibleNode(String name, long serverId, String location) {
  public EligibleNode {
    Require.text(name, "eligibleNode.name");
    Require.id(serverId, "eligibleNode.serverId");
    Require.text(location, "eligibleNode.location");
  }
}
