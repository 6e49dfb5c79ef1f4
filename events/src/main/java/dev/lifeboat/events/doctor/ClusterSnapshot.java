package dev.lifeboat.events.doctor;

import dev.lifeboat.events.Require;
import java.time.Instant;
import java.util.List;

/**
 * The cluster side of a doctor run, as node-watcher sees it: the nodes, and the hcloud CSI driver's
 * PersistentVolumes, VolumeAttachments and the pods that use them. Volumes of other drivers are
 * left out.
 *
 * @param takenAt when node-watcher read it
 * @param nodes every Node
 * @param volumes every PersistentVolume of the hcloud CSI driver
 * @param attachments every VolumeAttachment of the hcloud CSI driver
 * @param pods every pod that uses one of those volumes
 */
public record ClusterSnapshot(
    Instant takenAt,
    List<Node> nodes,
    List<Volume> volumes,
    List<Attachment> attachments,
    List<Pod> pods) {
  public ClusterSnapshot {
    Require.present(takenAt, "takenAt");
    nodes = Require.list(nodes);
    volumes = Require.list(volumes);
    attachments = Require.list(attachments);
    pods = Require.list(pods);
  }

  /**
   * A Node.
   *
   * @param name its name
   * @param serverId its Hetzner server, from {@code hcloud://<id>}; null when it has none
   * @param location its Hetzner location; null when no label names one
   * @param ready its Ready condition is True
   * @param refusesPods why the scheduler would place no new pod on it ({@code cordoned}, {@code
   *     taint <key>:<effect>}); null when it takes pods
   * @param excludedBecause why Lifeboat leaves it alone (a control-plane node, an exclusion label);
   *     null when it does not
   * @param hetznerVolumes how many Hetzner volumes are attached or being attached to it
   */
  public record Node(
      String name,
      Long serverId,
      String location,
      boolean ready,
      String refusesPods,
      String excludedBecause,
      int hetznerVolumes) {
    public Node {
      Require.text(name, "node.name");
      Require.optionalId(serverId, "node.serverId");
    }
  }

  /**
   * A PersistentVolume of the hcloud CSI driver.
   *
   * @param name its name
   * @param volumeId the Hetzner volume of its {@code volumeHandle}
   * @param location the location its node affinity requires; null when it has none
   * @param reclaimPolicy {@code Delete}, {@code Retain} or {@code Recycle}
   * @param claim the claim bound to it, {@code namespace/name}; null while unbound
   * @param statefulSet the StatefulSet whose pods use that claim, {@code namespace/name}; null when
   *     none does
   */
  public record Volume(
      String name,
      long volumeId,
      String location,
      String reclaimPolicy,
      String claim,
      String statefulSet) {
    public Volume {
      Require.text(name, "volume.name");
      Require.id(volumeId, "volume.volumeId");
    }
  }

  /**
   * A VolumeAttachment of the hcloud CSI driver.
   *
   * @param name its name
   * @param persistentVolume the PV it attaches
   * @param nodeName the node it attaches it to
   * @param attached its {@code status.attached}
   * @param since when it was created
   */
  public record Attachment(
      String name, String persistentVolume, String nodeName, boolean attached, Instant since) {
    public Attachment {
      Require.text(name, "attachment.name");
      Require.text(persistentVolume, "attachment.persistentVolume");
      Require.text(nodeName, "attachment.nodeName");
      Require.present(since, "attachment.since");
    }
  }

  /**
   * A pod that uses hcloud volumes.
   *
   * @param namespace its namespace
   * @param name its name
   * @param nodeName the node it is scheduled on; null while pending
   * @param scheduledAt when it was scheduled there; null while pending
   * @param ready its Ready condition is True
   * @param waiting why its first waiting container waits ({@code ContainerCreating}); null when
   *     none waits
   * @param persistentVolumes the hcloud PVs it uses, by name
   */
  public record Pod(
      String namespace,
      String name,
      String nodeName,
      Instant scheduledAt,
      boolean ready,
      String waiting,
      List<String> persistentVolumes) {
    public Pod {
      Require.text(namespace, "pod.namespace");
      Require.text(name, "pod.name");
      persistentVolumes = Require.list(persistentVolumes);
    }

    /** {@code namespace/name}. */
    public String key() {
      return namespace + "/" + name;
    }
  }
}
