package dev.lifeboat.orchestrator.domain;

import dev.lifeboat.events.Command;
import dev.lifeboat.events.CommandResult;
import dev.lifeboat.events.cluster.AwaitPodReady;
import dev.lifeboat.events.cluster.AwaitReplacementPod;
import dev.lifeboat.events.cluster.CordonNode;
import dev.lifeboat.events.cluster.DeleteNode;
import dev.lifeboat.events.cluster.DeleteVolumeAttachments;
import dev.lifeboat.events.cluster.EvictPods;
import dev.lifeboat.events.cluster.RemoveOutOfServiceTaint;
import dev.lifeboat.events.cluster.TaintNodeOutOfService;
import dev.lifeboat.events.hcloud.AttachVolume;
import dev.lifeboat.events.hcloud.DeleteServer;
import dev.lifeboat.events.hcloud.DetachVolume;
import dev.lifeboat.events.hcloud.PowerOffServer;
import dev.lifeboat.events.hcloud.RetireServer;

/**
 * Every command the saga sends, as the attempt that sent it remembers it: what it waits for, which
 * results answer it, whether it changes the world.
 */
public enum Request {
  POWER_OFF(PowerOffServer.class, true),
  DELETE_SERVER(DeleteServer.class, true),
  /** The incident's cordon of the node, once its fence holds (a part of RELEASE). */
  CORDON(CordonNode.class, true),
  /** Not a step of its own: undoes the cordon after the end, when the node came back. */
  UNCORDON(CordonNode.class, true),
  TAINT(TaintNodeOutOfService.class, true),
  /** Not a step of its own: undoes the taint after the end, when the node came back. */
  UNTAINT(RemoveOutOfServiceTaint.class, true),
  DETACH(DetachVolume.class, true),
  /** A volume's RELEASE: its pods force-deleted, then its VolumeAttachment on the node deleted. */
  RELEASE(DeleteVolumeAttachments.class, true),
  AWAIT_REPLACEMENT(AwaitReplacementPod.class, false),
  ATTACH(AttachVolume.class, true),
  /**
   * A volume's VERIFY: its attachment on the target touched, then its pod awaited Ready. The touch
   * is a write, so it waits out a pause as every write does.
   */
  AWAIT_READY(AwaitPodReady.class, true),
  /** A planned removal's EVICT: the pods that use the volume, through the Eviction API. */
  EVICT_PODS(EvictPods.class, true),
  /** A planned removal's FINISH: evicts every other pod of the node (DaemonSets' stay). */
  DRAIN(EvictPods.class, true),
  /** A planned removal's FINISH: deletes or powers off the emptied server. */
  RETIRE(RetireServer.class, true),
  /** A planned removal's FINISH: deletes the Node object of a deleted server. */
  DELETE_NODE(DeleteNode.class, true);

  private final Class<? extends Command> type;
  private final boolean mutating;

  Request(Class<? extends Command> type, boolean mutating) {
    this.type = type;
    this.mutating = mutating;
  }

  /** The message type of the command. */
  public Class<? extends Command> type() {
    return type;
  }

  /**
   * True for a command that changes the world; false for a wait (a report on what the cluster does
   * by itself), which runs while commands are paused and carries its own timeout.
   */
  public boolean mutating() {
    return mutating;
  }

  /**
   * True for the incident's own requests that share their step with another (the cordon and the
   * taint are both RELEASE): their command ids are derived from their own name, not the step's.
   */
  boolean namesItsCommands() {
    return this == CORDON
        || this == UNCORDON
        || this == UNTAINT
        || this == DRAIN
        || this == RETIRE
        || this == DELETE_NODE;
  }

  /** True for a request that undoes what the incident did, after its end: not a step's start. */
  boolean undoes() {
    return this == UNTAINT || this == UNCORDON;
  }

  /** True when the result is of a kind that can answer this command. */
  boolean answeredBy(CommandResult result) {
    return result.answers(type);
  }
}
