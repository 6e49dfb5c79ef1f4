package dev.lifeboat.events.doctor;

import dev.lifeboat.events.Require;

/**
 * The safe repair of a finding: what Lifeboat would do on request, after checking the finding
 * again.
 *
 * @param action what it does
 * @param volumeId the Hetzner volume it is about
 * @param serverId the server the volume is detached from ({@link Action#DETACH_VOLUME}, {@link
 *     Action#MOVE_VOLUME}), or attached to ({@link Action#ATTACH_VOLUME}); null otherwise
 * @param attachment the VolumeAttachment that says where the volume is ({@link
 *     Action#ATTACH_VOLUME}, {@link Action#REQUEUE_ATTACHMENT}); null otherwise
 * @param nodeName the node the volume ends up on ({@link Action#ATTACH_VOLUME}, {@link
 *     Action#REQUEUE_ATTACHMENT}, {@link Action#MOVE_VOLUME}); null for a detach
 */
public record Repair(
    Action action, long volumeId, Long serverId, String attachment, String nodeName) {
  public Repair {
    Require.present(action, "action");
    Require.id(volumeId, "volumeId");
    Require.optionalId(serverId, "serverId");
  }

  /** The kinds of repair. */
  public enum Action {
    /** Detach the volume from a server that is off and has no Node. */
    DETACH_VOLUME,
    /**
     * Requeue the VolumeAttachment so that the CSI driver attaches the volume again. No longer
     * offered: the CSI attacher passes over a VolumeAttachment that already says attached ({@link
     * #ATTACH_VOLUME} replaces it); kept so that old reports stay readable.
     */
    REQUEUE_ATTACHMENT,
    /** Move the volume, as an incident would, from a lost node's server to its pod's node. */
    MOVE_VOLUME,
    /**
     * Attach a volume that is on no server to the running server of the node its VolumeAttachment
     * names, so that what the cluster believes is true again.
     */
    ATTACH_VOLUME
  }
}
