package dev.lifeboat.events.node;

import dev.lifeboat.events.Require;

/**
 * A PersistentVolumeClaim.
 *
 * @param namespace the claim's namespace
 * @param name the claim's name
 */
public record ClaimRef(String namespace, String name) {
  public ClaimRef {
    Require.text(namespace, "claim.namespace");
    Require.text(name, "claim.name");
  }
}
