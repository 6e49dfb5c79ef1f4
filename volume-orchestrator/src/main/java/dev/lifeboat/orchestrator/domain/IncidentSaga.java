package dev.lifeboat.orchestrator.domain;

import dev.lifeboat.events.CommandResult;
import dev.lifeboat.events.LifeboatMessage;
import dev.lifeboat.events.control.ControlRequest;
import dev.lifeboat.events.node.NodeGone;
import dev.lifeboat.events.node.NodeReturned;
import dev.lifeboat.events.node.RemovalRequested;
import dev.lifeboat.events.node.RepairRequested;
import dev.lifeboat.events.permit.FlowSlotsGranted;
import dev.lifeboat.events.permit.FlowSlotsRefused;
import dev.lifeboat.events.permit.PermitMessage;
import dev.lifeboat.events.saga.IncidentStatus;
import java.time.Instant;
import java.util.Optional;

/**
 * The saga of an incident, as a pure function: {@code (state, message, now, conditions) -> (new
 * state, messages to send)}. Its steps, as {@code docs/design.md} explains them:
 *
 * <pre>
 * step        commands (in order)                      on success             on final failure
 * PRE_FLIGHT  none                                     volume may move        volume PARTIAL (NO_ELIGIBLE_NODE)
 * FENCE       PowerOffServer | DeleteServer | none     volumes QUEUED         every volume PARTIAL (FENCE_FAILED)
 *             (or IncidentHeld: a guard asks a person first; only with a fencing permit,
 *             FencePermitRequested answered Granted, or Refused: held, FENCING_CAP)
 * -- per volume, VolumeSteps.TABLE, at most maxParallelVolumes at once --------------------------
 * DETACH      DetachVolume (none if the server was     DETACHED, then the     volume PARTIAL
 *             deleted)                                 pods gate
 * RELEASE     DeleteVolumeAttachments, its pods        RESCHEDULE             volume PARTIAL
 *             force-deleted first (if it has pods)
 * RESCHEDULE  AwaitReplacementPod                      ATTACH (same location  volume PARTIAL, detached
 *                                                      only)
 * ATTACH      AttachVolume                             VERIFY                 volume PARTIAL
 * VERIFY      AwaitPodReady, the attachment touched    MOVED                  volume PARTIAL
 *             first (RequeueVolumeAttachment's touch)
 *             (a target lost meanwhile, target_not_running at ATTACH or TARGET_LOST at VERIFY:
 *             the volume is handed on, at most twice: DETACH from the target's server if it was
 *             attached there, RELEASE of the replacement pod on the target, RESCHEDULE again)
 * -- gates ---------------------------------------------------------------------------------------
 * admission   after the fence the incident asks for flow slots (FlowSlotsRequested, answered
 *             Granted: up to the room other incidents leave under maxActiveFlows, or Refused:
 *             asks again after pauseRecheck); it runs at most the slots it holds at once and
 *             gives back what it no longer needs (FlowSlotsReturned), all of it at the end
 * cordon      CordonNode once the fence holds; each volume's RELEASE waits for it, as the
 *             scheduler must keep replacement pods off a node that still looks Ready
 *             (a cordon that gives up: RELEASE waits for the taint instead); uncordoned
 *             after the end if the node came back and this incident had cordoned it
 * taint       TaintNodeOutOfService once no volume is on the server (it releases the node's
 *             other pods); a taint that gives up lets the flows go on; none at all while a
 *             volume that does not move stays on the server (the taint would force-detach it)
 * pods        a pod is released only once every volume it uses is off the server: not while
 *             one of them is held there, never when one of them stays (POD_KEEPS_VOLUME)
 * end         COMPLETED | PARTIAL once every flow ended; CANCELLED when the node came back, or a
 *             person cancelled, before any mutating command; RemoveOutOfServiceTaint afterwards
 *             if the node came back
 * </pre>
 *
 * <p>A planned removal (kind {@link IncidentKind#REMOVAL}, opened by a {@code RemovalRequested})
 * runs the same table without a fence: PRE_FLIGHT refuses the whole removal if any volume could not
 * move; the node is cordoned (EVICT); each volume goes EVICT (EvictPods through the Eviction API,
 * patient with disruption budgets), DETACH (planned: the server runs, the pods are gone and the
 * volume unmounted), RELEASE (no force deletion), then RESCHEDULE, ATTACH, VERIFY; once every
 * volume moved, FINISH ({@link RemovalFinish}: drain, delete or power off the server with no volume
 * on it, delete the Node). A cancel starts no volume and lets those under way arrive; a loss of the
 * node hands what is still on it to the loss's incident ({@link RemovalHandover}).
 *
 * <p>The repair of a doctor's finding (kind {@link IncidentKind#REPAIR}, opened by a {@code
 * RepairRequested} once the finding was checked again) runs PRE_FLIGHT (recording that check) and
 * DETACH of its one volume from a server that no Node stands for, then ends; nothing is fenced,
 * cordoned or tainted, and a detach the adapter refuses because the server runs ends it PARTIAL at
 * once (docs/doctor.md).
 *
 * <p>The parts: {@link IncidentSteps} (open, gates, end), {@link Fence} (fence or hold, and the
 * fence lost when the server runs again), {@link Admission} (flow slots), {@link NodeCordon},
 * {@link OutOfServiceTaint}, {@link VolumeSteps} (the volume table and its commands), {@link
 * Control} (the node returning and people's requests, with {@link #refusal}), {@link Run}
 * (attempts: sending, matching results, deadlines, backoff, ids). Every command's id is derived
 * from the incident, step, volume and attempt, created before it is sent, so a replay after a crash
 * sends the same ids. A result counts only while its command is awaited: duplicates and results of
 * abandoned attempts change nothing. The state passed in belongs to the call, which may change it
 * and returns it as the new state.
 */
public final class IncidentSaga {

  private final SagaPolicy policy;

  public IncidentSaga(SagaPolicy policy) {
    this.policy = policy;
  }

  /** The policy the saga follows. */
  public SagaPolicy policy() {
    return policy;
  }

  /**
   * Reacts to one message about the incident.
   *
   * @param state the incident's state, or null when none exists yet
   */
  public Outcome apply(
      IncidentState state, LifeboatMessage message, Instant now, Conditions conditions) {
    Parts parts = new Parts(new Run(policy, state, now, conditions));
    parts.on(message);
    parts.incident.settle();
    return parts.run.outcome();
  }

  /** Lets time pass: fails attempts past their deadline and starts retries that are due. */
  public Outcome tick(IncidentState state, Instant now, Conditions conditions) {
    Parts parts = new Parts(new Run(policy, state, now, conditions));
    if (state != null) {
      if (!state.status.terminal() && parts.run.due(state.recheckAt)) {
        state.recheckAt = null; // settle() asks for admission again
      }
      parts.run.wake(parts.incident.awaiters());
      parts.incident.settle();
    }
    return parts.run.outcome();
  }

  /**
   * Whether an incident that was only a dry run is handled live now: the saga is live, the dry run
   * ended, and the node did not come back since (the loss stands; the watcher will not report it
   * again).
   */
  public boolean handlesLive(IncidentState state) {
    return state != null
        && state.kind == IncidentKind.LOSS
        && state.dryRun
        && !policy.dryRun()
        && state.status.terminal()
        && !state.nodeReturned;
  }

  /**
   * Handles live a loss that was a dry run when it was reported (Lifeboat was switched to live
   * since): the same incident opens again from the same inventory, its events numbered on from the
   * dry run's, so the timeline shows both. Nothing happens unless {@link #handlesLive} holds.
   */
  public Outcome goLive(IncidentState state, Instant now, Conditions conditions) {
    if (!handlesLive(state)) {
      return new Run(policy, state, now, conditions).outcome();
    }
    Parts parts = new Parts(new Run(policy, null, now, conditions));
    parts.incident.open(state.inventory, state.sequence);
    parts.incident.settle();
    return parts.run.outcome();
  }

  /**
   * Why a request of this kind cannot change the incident now, or empty when the saga will act on
   * it. The API asks this before it accepts a request; a request that arrives after the state moved
   * on is answered by a {@link dev.lifeboat.events.saga.RequestRefused} event with the same words.
   *
   * @param volumeId the volume, for {@link Control.Kind#RETRY_VOLUME}; otherwise ignored
   */
  public static Optional<String> refusal(IncidentState state, Control.Kind kind, long volumeId) {
    return Control.refusal(state, kind, volumeId);
  }

  /**
   * Whether a removal asked for again starts over: one that was cancelled, or ended with volumes
   * that did not move (a person fixed what stopped them). One that completed, or still runs, is not
   * started again (the annotation is seen again after every restart of node-watcher).
   */
  static boolean reopens(IncidentState state) {
    return state.kind == IncidentKind.REMOVAL
        && (state.status == IncidentStatus.CANCELLED || state.status == IncidentStatus.PARTIAL);
  }

  /** The parts of one call, wired to each other. */
  private static final class Parts {
    final Run run;
    final VolumeSteps flows;
    final IncidentSteps incident;
    final Control control;

    Parts(Run run) {
      this.run = run;
      this.flows = new VolumeSteps(run);
      this.incident = new IncidentSteps(run, flows);
      this.control = new Control(run, incident, flows);
    }

    void on(LifeboatMessage message) {
      if (message instanceof RemovalRequested removal) {
        if (run.state == null) {
          incident.openRemoval(removal, 0);
        } else if (reopens(run.state)) {
          incident.openRemoval(removal, run.state.sequence);
        }
        return;
      }
      if (message instanceof NodeGone gone) {
        if (run.state == null) {
          incident.open(gone, 0);
        }
        return;
      }
      if (message instanceof RepairRequested repair) {
        if (run.state == null) {
          incident.openRepair(repair);
        }
        return;
      }
      if (run.state == null) {
        return;
      }
      if (message instanceof NodeReturned) {
        control.nodeReturned();
      } else if (message instanceof CommandResult result) {
        run.deliver(result, incident.awaiters());
      } else if (message instanceof ControlRequest request) {
        control.on(request);
      } else if (message instanceof FlowSlotsGranted || message instanceof FlowSlotsRefused) {
        incident.admission.onAnswer((PermitMessage) message);
      } else if (message instanceof PermitMessage answer) {
        incident.fence.onPermit(answer);
      }
    }
  }
}
