package dev.lifeboat.events.node;

import dev.lifeboat.events.Require;
import java.util.List;

/**
 * A Hetzner volume that a lost node held, with what uses it: the snapshot the saga works from.
 *
 * @param volumeId the Hetzner volume id ({@code spec.csi.volumeHandle} of the PV)
 * @param persistentVolume the PV's name
 * @param claim the PVC bound to the PV
 * @param location the volume's Hetzner location; it can only attach to servers there
 * @param pods the pods on the lost node that mount it
 * @param skipped why Lifeboat must leave this volume alone (such as its claim or namespace being
 *     annotated {@code lifeboat.dev/failover: "disabled"}); null when it may move
 */
public record HeldVolume(
    long volumeId,
    String persistentVolume,
    ClaimRef claim,
    String location,
    List<PodRef> pods,
    String skipped) {
  public HeldVolume {
    Require.id(volumeId, "volume.volumeId");
    Require.text(persistentVolume, "volume.persistentVolume");
    Require.present(claim, "volume.claim");
    Require.text(location, "volume.location");
    pods = Require.list(pods);
  }

  /** A volume that may move. */
  public HeldVolume(
      long volumeId, String persistentVolume, ClaimRef claim, String location, List<PodRef> pods) {
    this(volumeId, persistentVolume, claim, location, pods, null);
  }
}
