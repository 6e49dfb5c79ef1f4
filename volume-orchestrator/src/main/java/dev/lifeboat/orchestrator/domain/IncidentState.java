package dev.lifeboat.orchestrator.domain;

import dev.lifeboat.events.doctor.Repair;
import dev.lifeboat.events.node.GoneReason;
import dev.lifeboat.events.node.NodeGone;
import dev.lifeboat.events.node.NodeRef;
import dev.lifeboat.events.node.ServerDisposal;
import dev.lifeboat.events.saga.IncidentStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Everything the saga of one incident remembers: what it knows of the lost node, where the fence
 * and every volume stand, and the command each waits for. It is what the host stores, so it holds
 * only data.
 */
public final class IncidentState {

  String incidentId;
  IncidentKind kind = IncidentKind.LOSS;
  NodeGone inventory;
  NodeRef node;
  GoneReason reason;
  int knownNodes;
  FencePolicy fencing;
  IncidentStatus status;
  String holdReason;
  Instant openedAt;
  Instant endedAt;
  Permit permit = Permit.NONE;
  String resumedBy;
  Attempt fence;
  boolean fenced;
  boolean fenceLost;
  boolean serverDeleted;
  Attempt cordon;
  TaintStatus cordonStatus = TaintStatus.NONE;
  boolean cordonedHere;
  Attempt uncordon;
  Attempt taint;
  TaintStatus taintStatus = TaintStatus.NONE;
  Attempt untaint;
  boolean nodeReturned;
  boolean mutatingSent;
  boolean dryRun;
  Permit slots = Permit.NONE;
  int slotsHeld;
  String slotsRequest;
  Instant recheckAt;
  long sequence;
  List<VolumeFlow> volumes = new ArrayList<>();

  /** A removal's: what happens to the server at FINISH, and who asked. */
  ServerDisposal then;

  String requestedBy;

  /** What a doctor's repair does (kind {@link IncidentKind#REPAIR}); null for other kinds. */
  Repair repair;

  Attempt drain;
  Attempt retire;
  Attempt deleteNode;
  boolean drained;
  boolean retired;
  boolean nodeDeleted;
  boolean cancelRequested;
  boolean handedOver;
  String cancelReason;

  IncidentState() {}

  /** Whether the saga empties a lost node or one removed on purpose. */
  public IncidentKind kind() {
    return kind;
  }

  /** A removal's choice for the server once it is empty; null for a loss. */
  public ServerDisposal then() {
    return then;
  }

  /** Who asked for a removal; null for a loss. */
  public String requestedBy() {
    return requestedBy;
  }

  /** The incident id (and Kafka key). */
  public String incidentId() {
    return incidentId;
  }

  /** The node's inventory as node-watcher reported it when it declared the node gone. */
  public NodeGone inventory() {
    return inventory;
  }

  /** The lost node. */
  public NodeRef node() {
    return node;
  }

  /** Why the node was declared gone. */
  public GoneReason reason() {
    return reason;
  }

  /** The fencing chosen for this node. */
  public FencePolicy fencing() {
    return fencing;
  }

  /** Where the incident stands. */
  public IncidentStatus status() {
    return status;
  }

  /** Why the incident waits for a person; null unless {@link IncidentStatus#HELD}. */
  public String holdReason() {
    return holdReason;
  }

  /** When the saga opened the incident. */
  public Instant openedAt() {
    return openedAt;
  }

  /** When it reached its terminal state; null before. */
  public Instant endedAt() {
    return endedAt;
  }

  /** Where the incident's fencing permit stands. */
  public Permit permit() {
    return permit;
  }

  /** Where the incident's share of the limit of flows in progress stands ({@link FlowSlots}). */
  public Permit flowSlots() {
    return slots;
  }

  /** How many volume flows the incident holds under that limit (0 unless granted). */
  public int slotsHeld() {
    return slotsHeld;
  }

  /** The fence's attempt; null until it started. */
  public Attempt fence() {
    return fence;
  }

  /** True once the server is proven unable to write. */
  public boolean fenced() {
    return fenced;
  }

  /** Where the cordon of the node stands. */
  public TaintStatus cordonStatus() {
    return cordonStatus;
  }

  /** Where the node-wide out-of-service taint stands. */
  public TaintStatus taintStatus() {
    return taintStatus;
  }

  /** True when a mutating command was sent for this incident. */
  public boolean mutatingSent() {
    return mutatingSent;
  }

  /** True when the incident ran in dry-run mode. */
  public boolean dryRun() {
    return dryRun;
  }

  /** The volume flows, in inventory order. */
  public List<VolumeFlow> volumes() {
    return volumes;
  }

  /** The flow of a volume. */
  public Optional<VolumeFlow> volume(long volumeId) {
    return volumes.stream().filter(flow -> flow.volumeId() == volumeId).findFirst();
  }

  /** Every attempt with a command outstanding. */
  public Stream<Attempt> outstanding() {
    return attempts().filter(attempt -> attempt.commandId != null);
  }

  /** The earliest deadline or retry time, when the host must call the saga's tick; null if none. */
  public Instant nextWakeUp() {
    Stream<Instant> recheck =
        recheckAt == null || status.terminal() ? Stream.empty() : Stream.of(recheckAt);
    return Stream.concat(
            recheck, attempts().flatMap(attempt -> Stream.of(attempt.deadline, attempt.retryAt)))
        .filter(time -> time != null)
        .min(Instant::compareTo)
        .orElse(null);
  }

  /** True when every volume flow has ended. */
  boolean allEnded() {
    return volumes.stream().allMatch(flow -> flow.phase.ended());
  }

  private Stream<Attempt> attempts() {
    return Stream.concat(
            Stream.of(fence, cordon, uncordon, taint, untaint, drain, retire, deleteNode),
            volumes.stream().filter(flow -> !flow.phase.ended()).map(flow -> flow.attempt))
        .filter(attempt -> attempt != null);
  }
}
