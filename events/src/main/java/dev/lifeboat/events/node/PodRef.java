package dev.lifeboat.events.node;

import dev.lifeboat.events.Require;

/**
 * A pod and the controller that owns it.
 *
 * @param namespace the pod's namespace
 * @param name the pod's name
 * @param uid the pod's UID, so a replacement of the same name (StatefulSet) is told apart
 * @param ownerKind the kind of its controller, such as {@code StatefulSet}; null when unowned
 * @param ownerName the name of its controller; null when unowned
 */
public record PodRef(
    String namespace, String name, String uid, String ownerKind, String ownerName) {
  public PodRef {
    Require.text(namespace, "pod.namespace");
    Require.text(name, "pod.name");
    Require.text(uid, "pod.uid");
  }
}
