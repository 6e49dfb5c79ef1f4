package dev.lifeboat.events.node;

import dev.lifeboat.events.Require;

/**
 * A Kubernetes node and the Hetzner server behind it ({@code spec.providerID =
 * hcloud://<serverId>}).
 *
 * @param name the Node's name
 * @param uid the Node's UID, which tells a re-created node of the same name apart
 * @param serverId the Hetzner server id; 0 when the Node has no {@code hcloud://} providerID, so
 *     that Lifeboat cannot fence it
 * @param location the server's Hetzner location, such as {@code fsn1}
 */
public record NodeRef(String name, String uid, long serverId, String location) {
  public NodeRef {
    Require.text(name, "node.name");
    Require.text(uid, "node.uid");
    if (serverId < 0) {
      throw new IllegalArgumentException("node.serverId must not be negative, was " + serverId);
    }
    Require.text(location, "node.location");
  }
}
