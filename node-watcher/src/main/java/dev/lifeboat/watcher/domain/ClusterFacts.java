package dev.lifeboat.watcher.domain;

import dev.lifeboat.events.node.PodRef;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The API objects the inventory is taken from, reduced to what it needs. */
public final class ClusterFacts {

  private ClusterFacts() {}

  /** The CSI driver of Hetzner volumes. */
  public static final String HCLOUD_DRIVER = "csi.hetzner.cloud";

  /** Annotation on a PVC or namespace that keeps Lifeboat's hands off its volumes. */
  public static final String FAILOVER_ANNOTATION = "lifeboat.dev/failover";

  /**
   * A pod.
   *
   * @param namespace its namespace
   * @param name its name
   * @param uid its UID
   * @param nodeName the node it is bound to; null while pending
   * @param ownerKind its controller's kind; null when unowned
   * @param ownerName its controller's name
   * @param claims the PVCs its volumes use
   * @param ready whether its Ready condition is True
   * @param terminating whether it has a deletion timestamp
   * @param scheduledAt when its PodScheduled condition became True; null while pending
   * @param waiting why its first waiting container waits ({@code ContainerCreating}); null when
   *     none waits
   */
  public record PodFacts(
      String namespace,
      String name,
      String uid,
      String nodeName,
      String ownerKind,
      String ownerName,
      List<String> claims,
      boolean ready,
      boolean terminating,
      Instant scheduledAt,
      String waiting) {

    /** The pod as messages name it. */
    public PodRef ref() {
      return new PodRef(namespace, name, uid, ownerKind, ownerName);
    }
  }

  /**
   * A PersistentVolumeClaim.
   *
   * @param namespace its namespace
   * @param name its name
   * @param volumeName the PV bound to it; null while unbound
   * @param annotations its annotations
   */
  public record ClaimFacts(
      String namespace, String name, String volumeName, Map<String, String> annotations) {}

  /**
   * A PersistentVolume.
   *
   * @param name its name
   * @param driver its CSI driver; null for other volume kinds
   * @param volumeHandle {@code spec.csi.volumeHandle}: the Hetzner volume id for hcloud volumes
   * @param location the location its node affinity requires; null when it has none
   * @param claimNamespace the namespace of the claim bound to it
   * @param claimName the name of that claim
   * @param reclaimPolicy {@code spec.persistentVolumeReclaimPolicy}; null when unset
   */
  public record VolumeFacts(
      String name,
      String driver,
      String volumeHandle,
      String location,
      String claimNamespace,
      String claimName,
      String reclaimPolicy) {

    /** A PV whose reclaim policy is not known. */
    public VolumeFacts(
        String name,
        String driver,
        String volumeHandle,
        String location,
        String claimNamespace,
        String claimName) {
      this(name, driver, volumeHandle, location, claimNamespace, claimName, null);
    }
  }

  /**
   * A VolumeAttachment.
   *
   * @param name its name
   * @param attacher {@code spec.attacher}, the CSI driver
   * @param persistentVolume the PV it attaches
   * @param nodeName the node it attaches it to
   * @param attached its {@code status.attached}
   * @param createdAt when it was created; null when unknown
   */
  public record AttachmentFacts(
      String name,
      String attacher,
      String persistentVolume,
      String nodeName,
      boolean attached,
      Instant createdAt) {

    /** An attachment taken as attached, of unknown age. */
    public AttachmentFacts(String name, String attacher, String persistentVolume, String nodeName) {
      this(name, attacher, persistentVolume, nodeName, true, null);
    }
  }
}
