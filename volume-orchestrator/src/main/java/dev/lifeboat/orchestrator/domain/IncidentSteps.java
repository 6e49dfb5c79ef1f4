package dev.lifeboat.orchestrator.domain;

import dev.lifeboat.events.FailureCodes;
import dev.lifeboat.events.doctor.Repair;
import dev.lifeboat.events.node.HeldVolume;
import dev.lifeboat.events.node.NodeGone;
import dev.lifeboat.events.node.PodRef;
import dev.lifeboat.events.node.RemovalRequested;
import dev.lifeboat.events.node.RepairRequested;
import dev.lifeboat.events.saga.IncidentCancelled;
import dev.lifeboat.events.saga.IncidentCompleted;
import dev.lifeboat.events.saga.IncidentPartial;
import dev.lifeboat.events.saga.IncidentStatus;
import dev.lifeboat.events.saga.Step;
import dev.lifeboat.events.saga.VolumeFailure;
import dev.lifeboat.orchestrator.domain.Report.Failure;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The incident's own steps: open it (PRE_FLIGHT; the fence is {@link Fence}'s, the admission of its
 * flows {@link Admission}'s), start each volume's steps as the gates allow (the slots it holds, the
 * cordon or the out-of-service taint), and end it.
 */
final class IncidentSteps {

  private final Run run;
  private final VolumeSteps flows;
  private final NodeCordon cordon;
  private final OutOfServiceTaint taint;
  final Fence fence;
  final Admission admission;
  final RemovalFinish finish;

  IncidentSteps(Run run, VolumeSteps flows) {
    this.run = run;
    this.flows = flows;
    this.cordon = new NodeCordon(run);
    this.taint = new OutOfServiceTaint(run);
    this.fence = new Fence(run, flows);
    this.admission = new Admission(run);
    this.finish = new RemovalFinish(run);
  }

  /** Every attempt that may await a command, with what reacts to its reports. */
  List<Run.Awaiter> awaiters() {
    IncidentState state = run.state;
    List<Run.Awaiter> awaiters = new ArrayList<>();
    if (state.fence != null) {
      awaiters.add(new Run.Awaiter(state.fence, fence::onFenceReport, fence::sendFence));
    }
    if (state.cordon != null) {
      awaiters.add(new Run.Awaiter(state.cordon, cordon::onReport, cordon::send));
    }
    if (state.uncordon != null) {
      awaiters.add(new Run.Awaiter(state.uncordon, cordon::onUncordonReport, cordon::sendUncordon));
    }
    if (state.taint != null) {
      awaiters.add(new Run.Awaiter(state.taint, taint::onReport, taint::send));
    }
    if (state.untaint != null) {
      awaiters.add(new Run.Awaiter(state.untaint, taint::onUntaintReport, taint::sendUntaint));
    }
    finish.addAwaiters(awaiters);
    for (VolumeFlow flow : state.volumes) {
      if (flow.attempt != null && !flow.phase.ended()) {
        awaiters.add(
            new Run.Awaiter(
                flow.attempt, report -> onFlowReport(flow, report), () -> flows.send(flow)));
      }
    }
    return awaiters;
  }

  // ---- PRE_FLIGHT
  // ---------------------------------------------------------------------------------

  /**
   * Opens the incident of a loss.
   *
   * @param sequenceFrom the number of the incident's events so far (0 for a new incident)
   */
  void open(NodeGone gone, long sequenceFrom) {
    IncidentState state = begin(gone, sequenceFrom);
    state.fencing = run.policy.fencingFor(gone.nodeLabels());
    run.started(Step.PRE_FLIGHT, null, 1, null);
    int movable = 0;
    for (HeldVolume volume : gone.volumes()) {
      VolumeFlow flow = new VolumeFlow(volume, Phase.AWAITING_FENCE);
      state.volumes.add(flow);
      PreFlight.Verdict verdict = PreFlight.verdict(volume, gone);
      switch (verdict.outcome()) {
        case SKIPPED -> {
          flow.phase = Phase.SKIPPED;
          flow.endedAt = run.now;
          run.succeeded(Step.PRE_FLIGHT, volume.volumeId(), 1, verdict.detail());
        }
        case NO_ELIGIBLE_NODE -> {
          run.failed(
              Step.PRE_FLIGHT,
              volume.volumeId(),
              1,
              FailureCodes.NO_ELIGIBLE_NODE,
              verdict.detail(),
              true);
          flows.fail(flow, Step.PRE_FLIGHT, FailureCodes.NO_ELIGIBLE_NODE, verdict.detail());
        }
        case MOVES -> movable++;
      }
    }
    run.succeeded(
        Step.PRE_FLIGHT, null, 1, movable + " of " + gone.volumes().size() + " volumes can move");
    if (movable == 0) {
      return;
    }
    if (state.dryRun) {
      dryRun(gone);
    } else {
      fence.fenceOrHold();
    }
  }

  /**
   * Opens the removal a person asked for (or opens it again after it was cancelled or stopped, its
   * events numbered on). PRE_FLIGHT refuses the whole removal, touching nothing, when any volume
   * could not move (no eligible node in its location, or opted out of Lifeboat) or a server to
   * delete or power off is unknown; otherwise the node is cordoned and every volume queued.
   *
   * @param sequenceFrom the number of the removal's events so far (0 for a new removal)
   */
  void openRemoval(RemovalRequested request, long sequenceFrom) {
    NodeGone inventory = request.inventory();
    IncidentState state = begin(inventory, sequenceFrom);
    state.kind = IncidentKind.REMOVAL;
    state.then = request.then();
    state.requestedBy = request.requestedBy();
    state.fencing = FencePolicy.NONE;
    run.started(Step.PRE_FLIGHT, null, 1, null);
    List<String> refusals = new ArrayList<>();
    for (HeldVolume volume : inventory.volumes()) {
      VolumeFlow flow = new VolumeFlow(volume, Phase.QUEUED);
      state.volumes.add(flow);
      PreFlight.Verdict verdict = PreFlight.verdict(volume, inventory);
      String why = PreFlight.removalRefusal(verdict);
      if (why != null) {
        String code =
            verdict.outcome() == PreFlight.Outcome.NO_ELIGIBLE_NODE
                ? FailureCodes.NO_ELIGIBLE_NODE
                : SagaCodes.OPTED_OUT;
        run.failed(Step.PRE_FLIGHT, volume.volumeId(), 1, code, why, true);
        flows.fail(flow, Step.PRE_FLIGHT, code, why);
        refusals.add("volume " + volume.volumeId() + ": " + why);
      }
    }
    String server = PreFlight.removalServerRefusal(state.node, state.then);
    if (server != null) {
      refusals.add(server);
    }
    if (!refusals.isEmpty()) {
      String why = "refused at pre-flight, nothing was done: " + String.join("; ", refusals);
      run.failed(Step.PRE_FLIGHT, null, 1, FailureCodes.REMOVAL_REFUSED, why, true);
      cancel(why);
      return;
    }
    run.succeeded(
        Step.PRE_FLIGHT,
        null,
        1,
        "removal asked by "
            + state.requestedBy
            + ": "
            + inventory.volumes().size()
            + " volumes to move, then "
            + state.then.word()
            + " the server");
    if (state.dryRun) {
      dryRunRemoval(inventory);
    }
  }

  /**
   * Opens the repair of a doctor's finding, checked again just before it was sent: PRE_FLIGHT
   * records that check, and the volume is queued for its one step: the detach from a server that no
   * Node stands for, or the attach to the server of the node its VolumeAttachment names.
   */
  void openRepair(RepairRequested request) {
    IncidentState state = begin(request.inventory(), 0);
    state.kind = IncidentKind.REPAIR;
    state.requestedBy = request.requestedBy();
    state.repair = request.repair();
    state.fencing = FencePolicy.NONE;
    run.started(Step.PRE_FLIGHT, null, 1, null);
    VolumeFlow flow = new VolumeFlow(request.volume(), Phase.QUEUED);
    long volumeId = request.volume().volumeId();
    boolean attach = attaches(state);
    boolean move = moves(state);
    if (attach) {
      flow.targetServer = run.serverId();
      flow.targetNode = run.nodeName();
    } else if (move) {
      flow.targetServer = request.targetServerId();
      flow.targetNode = request.repair().nodeName();
    }
    state.volumes.add(flow);
    String what;
    if (attach) {
      what =
          "attach volume "
              + volumeId
              + ", on no server, to server "
              + run.serverId()
              + " of node "
              + run.nodeName()
              + ", where its VolumeAttachment says it is";
    } else if (move) {
      what =
          "move volume "
              + volumeId
              + " from server "
              + run.serverId()
              + " ("
              + run.nodeName()
              + ", off, not Ready) to server "
              + flow.targetServer
              + " of node "
              + flow.targetNode
              + ", where its pod waits";
    } else {
      what =
          "detach volume "
              + volumeId
              + " from server "
              + run.serverId()
              + ", which is off and no Node stands for";
    }
    run.succeeded(
        Step.PRE_FLIGHT,
        null,
        1,
        "repair of "
            + request.findingId()
            + " asked by "
            + state.requestedBy
            + ", checked again just before: "
            + what);
    if (state.dryRun) {
      run.succeeded(attach ? Step.ATTACH : Step.DETACH, volumeId, 1, "dry run: would " + what);
      cancel("dry run: no command was sent");
    }
  }

  /** Whether the repair only attaches its volume. */
  private static boolean attaches(IncidentState state) {
    return state.repair != null && state.repair.action() == Repair.Action.ATTACH_VOLUME;
  }

  /** Whether the repair moves its volume: detach, release the old node's attachment, attach. */
  static boolean moves(IncidentState state) {
    return state.repair != null && state.repair.action() == Repair.Action.MOVE_VOLUME;
  }

  /** A removal in dry run: what it would do, recorded step by step, then the end; nothing sent. */
  private void dryRunRemoval(NodeGone inventory) {
    IncidentState state = run.state;
    run.succeeded(Step.EVICT, null, 1, "dry run: would cordon node " + run.nodeName());
    for (HeldVolume volume : inventory.volumes()) {
      long id = volume.volumeId();
      String pods =
          volume.pods().isEmpty()
              ? "no pod"
              : volume.pods().stream().map(PodRef::name).collect(Collectors.joining(", "));
      run.succeeded(Step.EVICT, id, 1, "dry run: would evict " + pods + " and wait until gone");
      run.succeeded(Step.DETACH, id, 1, "dry run: would detach it from server " + run.serverId());
      run.succeeded(
          Step.RESCHEDULE,
          id,
          1,
          "dry run: would wait for its pod on a node in " + volume.location());
      run.succeeded(Step.ATTACH, id, 1, "dry run: would attach it to that node's server");
      run.succeeded(Step.VERIFY, id, 1, "dry run: would wait for its pod to be Ready");
    }
    run.succeeded(
        Step.FINISH,
        null,
        1,
        "dry run: would drain the node's other pods, then "
            + switch (state.then) {
              case DELETE -> "delete server " + run.serverId() + " and the Node";
              case POWEROFF -> "power server " + run.serverId() + " off";
              case KEEP -> "keep server " + run.serverId() + " running";
            });
    cancel("dry run: no command was sent");
  }

  /** A new state for the saga of this inventory, running from now, its events numbered on. */
  private IncidentState begin(NodeGone inventory, long sequenceFrom) {
    IncidentState state = new IncidentState();
    run.state = state;
    state.sequence = sequenceFrom;
    state.incidentId = inventory.incidentId();
    state.inventory = inventory;
    state.node = inventory.node();
    state.reason = inventory.reason();
    state.knownNodes = inventory.knownNodes();
    state.status = IncidentStatus.RUNNING;
    state.openedAt = run.now;
    state.dryRun = run.policy.dryRun();
    return state;
  }

  /** Dry run: record every step of the plan as it would go, then end without a command. */
  private void dryRun(NodeGone gone) {
    SagaPlan plan = SagaPlan.of(run.policy, gone);
    for (Step step : plan.incidentSteps()) {
      run.succeeded(step, null, 1, "dry run: would " + plan.incidentDetail(step));
    }
    for (SagaPlan.PlannedVolume volume : plan.volumes()) {
      for (Step step : volume.steps()) {
        run.succeeded(
            step, volume.volumeId(), 1, "dry run: would " + volume.detail(step, plan.fencing()));
      }
    }
    cancel("dry run: no command was sent");
  }

  /**
   * A volume's report. A detach refused because the server runs again (a person powered it on)
   * means the fence no longer holds: every volume not yet detached is held for a person, and so is
   * one whose detach, on its way at that moment, fails or times out.
   */
  private void onFlowReport(VolumeFlow flow, Report report) {
    if (run.state.kind == IncidentKind.REPAIR
        && flow.phase == Phase.DETACH
        && report instanceof Failure failure
        && FailureCodes.SERVER_RUNNING.equals(failure.code())) {
      // Nothing fenced this server: once it runs, no detach from it is tried again.
      String why = failure.message() + "; the repair stops, the volume stays where it is";
      run.failed(Step.DETACH, flow.volumeId(), flow.attempt.number, failure.code(), why, true);
      flows.fail(flow, Step.DETACH, failure.code(), why);
      return;
    }
    if (flow.phase == Phase.DETACH && !flow.handingOn && report instanceof Failure failure) {
      boolean serverRuns = FailureCodes.SERVER_RUNNING.equals(failure.code());
      // A detach on its way when the fence was lost that did not happen is never tried again
      // against the running server.
      if (serverRuns || (run.state.fenceLost && failure.retryable())) {
        run.failed(
            Step.DETACH,
            flow.volumeId(),
            flow.attempt.number,
            failure.code(),
            failure.message(),
            false);
        detachDidNotHappen(
            flow,
            serverRuns
                ? "server " + run.serverId() + " was powered on during the incident"
                : "the fence of server " + run.serverId() + " no longer holds");
        return;
      }
    }
    flows.onReport(flow, report);
  }

  /**
   * A detach that did not happen because the fence no longer holds, or may not: the volume waits
   * for the new fence when a person already asked for one, else for a person with the others.
   */
  private void detachDidNotHappen(VolumeFlow flow, String why) {
    Fence.hold(flow);
    if (run.state.status == IncidentStatus.RUNNING && fence.fencingAgain()) {
      flow.phase = Phase.AWAITING_FENCE;
      return;
    }
    fence.loseFence(why);
  }

  // ---- the gates between the volumes' steps -----------------------------------------------------

  /** Starts whatever the gates now allow, until nothing more can start. */
  void progress() {
    IncidentState state = run.state;
    if (state.kind == IncidentKind.REMOVAL) {
      progressRemoval();
      return;
    }
    if (state.kind == IncidentKind.REPAIR) {
      progressRepair();
      return;
    }
    boolean fenceHolds = state.fenced && !state.fenceLost;
    if (fenceHolds) {
      // The scheduler is kept off the node even while the flows wait for slots.
      cordon.ask();
      if (!admission.admitted()) {
        return;
      }
    } else if (state.slots != Permit.GRANTED) {
      return; // not fenced yet
    }
    // Detaches start only while the fence holds; what is detached goes on regardless.
    for (VolumeFlow flow : state.volumes) {
      if (!fenceHolds) {
        break;
      }
      if (flow.phase == Phase.QUEUED && freeSlot()) {
        if (state.serverDeleted) {
          run.started(Step.DETACH, flow.volumeId(), 1, null);
          run.succeeded(
              Step.DETACH,
              flow.volumeId(),
              1,
              "server " + run.serverId() + " was deleted, which detached the volume");
          flow.phase = Phase.DETACHED;
        } else {
          flows.start(flow, Phase.DETACH);
        }
      }
    }
    // Tainting releases every pod of the node at once (those without Hetzner volumes too): only
    // when nothing this incident moves is left on the server, or the replacements would meet
    // FailedPrecondition and back off; never while a volume that stays is there, which it would
    // have force-detached (docs/design.md).
    boolean noneLeftToDetach = state.volumes.stream().noneMatch(IncidentSteps::onTheServer);
    boolean anyLeft = state.volumes.stream().anyMatch(IncidentSteps::leftTheServer);
    if (noneLeftToDetach && anyLeft) {
      List<Long> staying = volumesStayingOnServer();
      if (staying.isEmpty()) {
        taint.ask();
      } else {
        taint.forgo(staying);
      }
    }
    // Pods are released volume by volume once the cordon keeps the scheduler off the node (it
    // looks Ready to Kubernetes for a while yet); without the cordon, only once nothing is left to
    // detach from the server and the taint is settled.
    if (cordon.holds() || (noneLeftToDetach && state.taintStatus.settled())) {
      releaseWhatIsFree();
    }
  }

  /**
   * A removal's gates: the cordon first (the scheduler must keep the evicted pods' replacements off
   * the node); then, within the flow slots held, each volume's EVICT; a volume detached is released
   * once every volume its pods use is off the server. After a cancel, no volume starts.
   */
  private void progressRemoval() {
    IncidentState state = run.state;
    cordon.ask();
    if (state.cordonStatus == TaintStatus.GIVEN_UP) {
      String why = "node " + run.nodeName() + " could not be cordoned: nothing is evicted from it";
      for (VolumeFlow flow : state.volumes) {
        if (flow.phase == Phase.QUEUED) {
          run.failed(Step.EVICT, flow.volumeId(), 1, SagaCodes.NOT_CORDONED, why, true);
          flows.fail(flow, Step.EVICT, SagaCodes.NOT_CORDONED, why);
        }
      }
      return;
    }
    if (!cordon.holds()) {
      return;
    }
    boolean queued = state.volumes.stream().anyMatch(flow -> flow.phase == Phase.QUEUED);
    if (queued && !state.cancelRequested && admission.admitted()) {
      for (VolumeFlow flow : state.volumes) {
        if (flow.phase == Phase.QUEUED && freeSlot()) {
          flows.start(flow, Phase.EVICT);
        }
      }
    }
    releaseWhatIsFree();
  }

  /**
   * Starts RELEASE for every detached volume whose pods are free: a pod is released only once every
   * volume it uses is off the server; one whose other volume stays there is not released at all.
   */
  private void releaseWhatIsFree() {
    List<Long> staying = volumesStayingOnServer();
    for (VolumeFlow flow : run.state.volumes) {
      if (flow.phase != Phase.DETACHED) {
        continue;
      }
      Optional<VolumeFlow> keeps =
          siblings(flow)
              .filter(other -> other.phase != Phase.HELD && staying.contains(other.volumeId()))
              .findFirst();
      if (keeps.isPresent()) {
        String why =
            "its pod also uses volume "
                + keeps.get().volumeId()
                + ", which stays on server "
                + run.serverId()
                + ": the pod cannot run elsewhere, so it is not released (the volume is detached)";
        run.failed(Step.RELEASE, flow.volumeId(), 1, SagaCodes.POD_KEEPS_VOLUME, why, true);
        flows.fail(flow, Step.RELEASE, SagaCodes.POD_KEEPS_VOLUME, why);
      } else if (podsFree(flow) && freeSlot()) {
        flows.start(flow, Phase.RELEASE);
      }
    }
  }

  /**
   * A repair: its volume's steps, the detach, the attach, or for a move the detach, the release of
   * the old node's VolumeAttachment and the attach; then the end (no pod is force-deleted or
   * rescheduled). {@link VolumeSteps} goes on from step to step and ends the flow REPAIRED.
   */
  private void progressRepair() {
    for (VolumeFlow flow : run.state.volumes) {
      if (flow.phase == Phase.QUEUED) {
        flows.start(flow, attaches(run.state) ? Phase.ATTACH : Phase.DETACH);
      }
    }
  }

  /** Still on the server, waiting for or in its detach from it. */
  private static boolean onTheServer(VolumeFlow flow) {
    return flow.phase == Phase.AWAITING_FENCE
        || flow.phase == Phase.QUEUED
        || flow.phase == Phase.EVICT
        || (flow.phase == Phase.DETACH && !flow.handingOn);
  }

  /** Detached from the server by this incident (moving on, moved, or failed after that). */
  private static boolean leftTheServer(VolumeFlow flow) {
    return switch (flow.phase) {
      case DETACHED, RELEASE, RESCHEDULE, ATTACH, VERIFY, MOVED -> true;
      case DETACH -> flow.handingOn;
      case FAILED -> !failedOnTheServer(flow);
      default -> false;
    };
  }

  /**
   * Failed before it left the server (PRE_FLIGHT, FENCE, or its detach from it), so it stays there.
   * A failed detach from a lost target is not on this server.
   */
  private static boolean failedOnTheServer(VolumeFlow flow) {
    return flow.phase == Phase.FAILED
        && !flow.handingOn
        && (flow.failure.step() == Step.PRE_FLIGHT
            || flow.failure.step() == Step.FENCE
            || flow.failure.step() == Step.EVICT
            || flow.failure.step() == Step.DETACH);
  }

  /**
   * Whether the flow's pods may be released: every volume they use is off the server, or will not
   * leave it (its flow ended). A pod released earlier would be replaced at once, and its
   * replacement would wait on the volume still attached to the dead server; one of them held on a
   * server that runs again may still be in use there.
   */
  private boolean podsFree(VolumeFlow flow) {
    return siblings(flow).noneMatch(other -> onTheServer(other) || other.phase == Phase.HELD);
  }

  /** The other volumes that a pod of this flow uses. */
  private Stream<VolumeFlow> siblings(VolumeFlow flow) {
    Set<String> pods = flow.volume().pods().stream().map(PodRef::uid).collect(Collectors.toSet());
    return run.state.volumes.stream()
        .filter(other -> other != flow)
        .filter(other -> other.volume().pods().stream().anyMatch(pod -> pods.contains(pod.uid())));
  }

  /**
   * The volumes that stay attached to the fenced server: opted out, or failed before their detach.
   * The node-wide taint would have the attach-detach controller force-detach them, so while there
   * are any it is not applied. A deleted server holds none.
   */
  private List<Long> volumesStayingOnServer() {
    if (run.state.serverDeleted) {
      return List.of();
    }
    return run.state.volumes.stream()
        .filter(
            flow ->
                flow.phase == Phase.SKIPPED || flow.phase == Phase.HELD || failedOnTheServer(flow))
        .map(VolumeFlow::volumeId)
        .toList();
  }

  private boolean freeSlot() {
    return run.state.volumes.stream().filter(flow -> flow.phase.active()).count()
        < admission.slots();
  }

  // ---- the end --------------------------------------------------------------------------------

  /** After every message: start what can start, end the incident when every flow has. */
  void settle() {
    IncidentState state = run.state;
    if (state == null) {
      return;
    }
    if (state.status == IncidentStatus.RUNNING) {
      progress();
      if (state.kind == IncidentKind.REMOVAL) {
        settleRemoval();
      } else if (state.allEnded()) {
        end();
      }
    } else if (state.status == IncidentStatus.HELD && state.fenceLost) {
      progress(); // the volumes already detached go on; the held ones wait
    }
    if (state.status.terminal()) {
      if (state.kind == IncidentKind.REMOVAL
          && state.status == IncidentStatus.CANCELLED
          && !state.handedOver
          && state.volumes.stream().noneMatch(IncidentSteps::leftTheServer)) {
        cordon.remove(); // a removal cancelled before anything left the node undoes its cordon
      }
      cordon.removeIfBack();
      taint.removeIfBack();
      fence.releasePermit();
    }
    admission.giveBack();
  }

  /**
   * A removal ends once every volume flow has: with FINISH when every volume moved (the node
   * cordoned), PARTIAL with the server untouched when one did not; after a cancel, once the volumes
   * under way got where they were going, uncordoning the node if none had left it.
   */
  private void settleRemoval() {
    IncidentState state = run.state;
    if (state.cancelRequested) {
      boolean underWay =
          state.volumes.stream()
              .anyMatch(flow -> flow.phase.active() || flow.phase == Phase.DETACHED);
      if (!underWay) {
        endCancelledRemoval();
      }
      return;
    }
    if (!state.allEnded()) {
      return;
    }
    boolean allMoved = state.volumes.stream().allMatch(flow -> flow.phase == Phase.MOVED);
    if (allMoved && !(cordon.holds() && finish.advance())) {
      return; // FINISH under way
    }
    if (state.status == IncidentStatus.RUNNING) {
      end();
    }
  }

  /** A person cancelled the removal: no volume starts now; those under way go on to their end. */
  void cancelRemoval(String why) {
    IncidentState state = run.state;
    state.cancelRequested = true;
    state.cancelReason = why;
    for (VolumeFlow flow : state.volumes) {
      Attempt attempt = flow.attempt;
      if (flow.phase == Phase.EVICT && attempt != null && attempt.commandId == null) {
        // Refused by a disruption budget, waiting to ask again: nothing of it left the node.
        String stays = why + ": its pods were not evicted, the volume stays";
        run.failed(Step.EVICT, flow.volumeId(), attempt.number, SagaCodes.CANCELLED, stays, true);
        flows.fail(flow, Step.EVICT, SagaCodes.CANCELLED, stays);
      }
    }
    settleRemoval();
  }

  /**
   * The node was lost during its removal: its loss incident takes over every volume still on the
   * server (each ends here {@code HANDED_OVER}); volumes already off it go on to their new node; no
   * FINISH; then the removal ends CANCELLED, the node left cordoned.
   */
  void handOverRemoval(String why) {
    IncidentState state = run.state;
    finish.stop();
    for (VolumeFlow flow : state.volumes) {
      if (onTheServer(flow)) {
        Step step = flow.attempt == null ? Step.EVICT : flow.attempt.step;
        int number = flow.attempt == null ? 1 : flow.attempt.number;
        run.failed(step, flow.volumeId(), number, SagaCodes.HANDED_OVER, why, true);
        flows.fail(flow, step, SagaCodes.HANDED_OVER, why);
      }
    }
    state.handedOver = true;
    state.status = IncidentStatus.RUNNING; // a removal held in FINISH ends too
    state.holdReason = null;
    state.cancelRequested = true;
    state.cancelReason = why;
    settleRemoval();
  }

  private void endCancelledRemoval() {
    IncidentState state = run.state;
    long moved = state.volumes.stream().filter(flow -> flow.phase == Phase.MOVED).count();
    boolean anyLeft = state.volumes.stream().anyMatch(IncidentSteps::leftTheServer);
    for (VolumeFlow flow : state.volumes) {
      if (!flow.phase.ended()) {
        flow.attempt = null;
      }
    }
    state.status = IncidentStatus.CANCELLED;
    state.endedAt = run.now;
    run.event(
        new IncidentCancelled(
            run.eventId(),
            run.id(),
            run.now,
            state.cancelReason
                + (anyLeft || state.handedOver
                    ? "; " + moved + " volume(s) moved and stay moved, the node stays cordoned"
                    : "; nothing had moved: the node is uncordoned")));
  }

  private void end() {
    IncidentState state = run.state;
    stopIncidentAttempts();
    List<Long> moved =
        state.volumes.stream()
            .filter(flow -> flow.phase == Phase.MOVED || flow.phase == Phase.REPAIRED)
            .map(VolumeFlow::volumeId)
            .toList();
    List<VolumeFailure> failures =
        state.volumes.stream()
            .filter(flow -> flow.phase == Phase.FAILED)
            .map(flow -> flow.failure)
            .toList();
    state.endedAt = run.now;
    if (failures.isEmpty()) {
      state.status = IncidentStatus.COMPLETED;
      run.event(new IncidentCompleted(run.eventId(), run.id(), run.now, moved));
    } else {
      state.status = IncidentStatus.PARTIAL;
      run.event(new IncidentPartial(run.eventId(), run.id(), run.now, moved, failures));
    }
  }

  /**
   * Ends the incident before its fence was proven: the node came back, or a person said so before
   * anything was sent. A fence already sent stays awaited, so that its outcome is told.
   */
  void cancel(String why) {
    IncidentState state = run.state;
    if (state.fence != null) {
      state.fence.retryAt = null;
    }
    cordon.abandon();
    taint.abandon();
    for (VolumeFlow flow : state.volumes) {
      if (!flow.phase.ended()) {
        flow.attempt = null;
      }
    }
    state.status = IncidentStatus.CANCELLED;
    state.holdReason = null;
    state.endedAt = run.now;
    run.event(new IncidentCancelled(run.eventId(), run.id(), run.now, why));
  }

  /**
   * The fence, the cordon and the taint wait for nothing more; a cordon or taint not yet settled is
   * abandoned.
   */
  void stopIncidentAttempts() {
    if (run.state.fence != null) {
      run.state.fence.idle();
    }
    cordon.abandon();
    taint.abandon();
  }
}
