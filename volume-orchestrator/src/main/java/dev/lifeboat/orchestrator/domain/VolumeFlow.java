package dev.lifeboat.orchestrator.domain;

import dev.lifeboat.events.node.HeldVolume;
import dev.lifeboat.events.node.PodRef;
import dev.lifeboat.events.saga.VolumeFailure;
import java.time.Instant;

/** One volume's way from the fenced server to the node its replacement pod landed on. */
public final class VolumeFlow {

  HeldVolume volume;
  Phase phase;
  Attempt attempt;
  String targetNode;
  long targetServer;
  PodRef replacementPod;
  VolumeFailure failure;
  Instant endedAt;
  int round;

  /**
   * Moving the volume off its target again: the target node was lost (or its server stopped) after
   * the replacement pod was bound there. Detach and release then act on the target, not on the
   * incident's node; set until a new replacement pod is bound.
   */
  boolean handingOn;

  /** How many times the volume was handed on from a lost target. */
  int handOns;

  VolumeFlow() {}

  VolumeFlow(HeldVolume volume, Phase phase) {
    this.volume = volume;
    this.phase = phase;
  }

  /** The volume as the node's inventory described it. */
  public HeldVolume volume() {
    return volume;
  }

  /** The Hetzner volume id. */
  public long volumeId() {
    return volume.volumeId();
  }

  /** Where the flow stands. */
  public Phase phase() {
    return phase;
  }

  /** The current step's attempt; null before the first step and after the end. */
  public Attempt attempt() {
    return attempt;
  }

  /** The node the replacement pod was bound to; null until known. */
  public String targetNode() {
    return targetNode;
  }

  /** The server of {@link #targetNode()}; 0 until known. */
  public long targetServer() {
    return targetServer;
  }

  /** The replacement pod; null until known. */
  public PodRef replacementPod() {
    return replacementPod;
  }

  /** Why the flow failed; null unless {@link Phase#FAILED}. */
  public VolumeFailure failure() {
    return failure;
  }

  /** When the flow ended; null until it did. */
  public Instant endedAt() {
    return endedAt;
  }
}
