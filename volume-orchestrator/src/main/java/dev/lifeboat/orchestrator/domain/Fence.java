package dev.lifeboat.orchestrator.domain;

import dev.lifeboat.events.FailureCodes;
import dev.lifeboat.events.hcloud.DeleteServer;
import dev.lifeboat.events.hcloud.PowerOffServer;
import dev.lifeboat.events.node.EligibleNode;
import dev.lifeboat.events.node.NodeGone;
import dev.lifeboat.events.permit.FencePermitGranted;
import dev.lifeboat.events.permit.FencePermitRefused;
import dev.lifeboat.events.permit.FencePermitReleased;
import dev.lifeboat.events.permit.FencePermitRequested;
import dev.lifeboat.events.permit.PermitMessage;
import dev.lifeboat.events.saga.IncidentHeld;
import dev.lifeboat.events.saga.IncidentStatus;
import dev.lifeboat.events.saga.Step;
import dev.lifeboat.orchestrator.domain.Report.Failure;
import dev.lifeboat.orchestrator.domain.Report.Success;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * FENCE: prove the lost node's server unable to write (or hold the incident for a person when a
 * guard says so), and notice when that proof stops holding (the server runs again), holding the
 * volumes not yet detached for a person.
 */
final class Fence {

  /** How many servers of the cluster a fence command names as witnesses. */
  private static final int WITNESSES = 3;

  private final Run run;
  private final VolumeSteps flows;

  Fence(Run run, VolumeSteps flows) {
    this.run = run;
    this.flows = flows;
  }

  /**
   * Starts the fence once a permit allows it (asking for one first), or holds the incident for a
   * person when a guard says so; also when a person retried a volume: the cap protects the cluster
   * whoever asks.
   */
  void fenceOrHold() {
    IncidentState state = run.state;
    if (state.node.serverId() == 0) {
      String why =
          "node "
              + run.nodeName()
              + " has no hcloud:// providerID: its server is unknown, so it cannot be fenced";
      run.failed(Step.FENCE, null, 1, SagaCodes.NO_SERVER, why, true);
      failAwaitingFence(SagaCodes.NO_SERVER, why);
      return;
    }
    FenceRules.Hold hold = FenceRules.hold(state);
    if (hold != null) {
      holdForAPerson(hold.code(), hold.why());
      return;
    }
    switch (state.permit) {
      case GRANTED -> startFence();
      case REQUESTED -> {} // the answer is on its way
      case NONE, RELEASED -> askPermit(false);
    }
  }

  /**
   * Asks the fencing permits whether this incident may fence; a person's resume overrides the cap
   * (and still counts).
   */
  void askPermit(boolean override) {
    IncidentState state = run.state;
    state.permit = Permit.REQUESTED;
    run.event(
        new FencePermitRequested(
            run.eventId(),
            run.id(),
            run.now,
            run.nodeName(),
            run.policy.fencingCap(state.knownNodes),
            override));
  }

  /** The answer to this incident's request; a late or repeated one changes nothing. */
  void onPermit(PermitMessage answer) {
    IncidentState state = run.state;
    if (state.permit != Permit.REQUESTED) {
      return;
    }
    if (answer instanceof FencePermitGranted) {
      state.permit = Permit.GRANTED;
      // Fenced already and the fence holds: nothing to do. A lost fence is fenced again.
      if (state.status != IncidentStatus.RUNNING || (state.fenced && !state.fenceLost)) {
        return;
      }
      if (state.resumedBy != null && state.fencing == FencePolicy.NONE) {
        state.fence = new Attempt(Step.FENCE, null);
        fencedWithoutCommand("fence vouched for by " + state.resumedBy);
      } else {
        startFence();
      }
    } else if (answer instanceof FencePermitRefused refused) {
      state.permit = Permit.NONE;
      if (state.status == IncidentStatus.RUNNING) {
        holdForAPerson(
            FailureCodes.FENCING_CAP,
            refused.others().size()
                + " incidents are fencing "
                + refused.others()
                + ", the cap for "
                + state.knownNodes
                + " nodes is "
                + refused.cap());
      }
    }
  }

  /** The incident ended: it gives its permit back (asked for or granted). */
  void releasePermit() {
    IncidentState state = run.state;
    if (state.permit == Permit.REQUESTED || state.permit == Permit.GRANTED) {
      state.permit = Permit.RELEASED;
      run.event(new FencePermitReleased(run.eventId(), run.id(), run.now));
    }
  }

  private void holdForAPerson(String code, String why) {
    IncidentState state = run.state;
    state.status = IncidentStatus.HELD;
    state.holdReason = code + ": " + why;
    run.event(
        new IncidentHeld(
            run.eventId(),
            run.id(),
            run.now,
            code,
            why + "; a person can resume the incident through the API"));
  }

  void startFence() {
    IncidentState state = run.state;
    if (state.fence == null) {
      state.fence = new Attempt(Step.FENCE, FenceRules.request(state.fencing));
    } else {
      // Fencing again after an abort: a new attempt, so a new command id.
      state.fence.number++;
      state.fence.retryAt = null;
    }
    if (state.fencing == FencePolicy.NONE) {
      fencedWithoutCommand(
          "the cloud controller manager reported server " + run.serverId() + " shut down");
    } else {
      sendFence();
    }
  }

  /** The fence is proven without a command: the server was reported off, or a person vouched. */
  void fencedWithoutCommand(String detail) {
    run.started(Step.FENCE, null, 1, null);
    fenced(detail, false);
  }

  void sendFence() {
    Attempt fence = run.state.fence;
    Duration timeout = run.policy.step(Step.FENCE).timeout();
    // The adapter neither starts nor continues the fence once the saga stopped waiting for it.
    Instant notAfter = run.now.plus(timeout);
    run.send(
        fence,
        null,
        0,
        (messageId, commandId) ->
            fence.request == Request.DELETE_SERVER
                ? new DeleteServer(
                    messageId, run.id(), run.now, commandId, run.serverId(), witnesses(), notAfter)
                : new PowerOffServer(
                    messageId, run.id(), run.now, commandId, run.serverId(), witnesses(), notAfter),
        timeout);
  }

  /**
   * Up to three servers of the cluster's healthy nodes: the adapter takes a not_found for the lost
   * server as its deletion only while it can read one of them with the same token.
   */
  private List<Long> witnesses() {
    NodeGone inventory = run.state.inventory;
    if (inventory == null) {
      return List.of();
    }
    return inventory.eligibleNodes().values().stream()
        .flatMap(List::stream)
        .map(EligibleNode::serverId)
        .filter(id -> id != run.serverId())
        .distinct()
        .sorted()
        .limit(WITNESSES)
        .toList();
  }

  void onFenceReport(Report report) {
    IncidentState state = run.state;
    if (state.status.terminal()) {
      // The node came back while its fence was on its way: the incident ended, and the outcome is
      // only told, never acted on (nor retried).
      if (report instanceof Success success) {
        run.succeeded(
            Step.FENCE,
            null,
            state.fence.number,
            "the fence sent before node "
                + run.nodeName()
                + " came back took effect: "
                + success.detail()
                + "; its volumes move only if it is lost again");
      } else {
        Failure failure = (Failure) report;
        run.failed(Step.FENCE, null, state.fence.number, failure.code(), failure.message(), true);
      }
      return;
    }
    if (report instanceof Success success) {
      fenced(success.detail(), success.serverDeleted() || state.fencing == FencePolicy.DELETE);
      return;
    }
    run.failOrRetry(
        state.fence,
        null,
        (Failure) report,
        failure ->
            failAwaitingFence(
                SagaCodes.FENCE_FAILED,
                "fence failed: " + failure.code() + ": " + failure.message()));
  }

  private void fenced(String detail, boolean volumesDetached) {
    IncidentState state = run.state;
    state.fenced = true;
    state.fenceLost = false;
    state.serverDeleted = volumesDetached;
    run.succeeded(Step.FENCE, null, state.fence.number, detail);
    state.fence.retryAt = null;
    for (VolumeFlow flow : state.volumes) {
      if (flow.phase == Phase.AWAITING_FENCE) {
        flow.phase = Phase.QUEUED;
      }
    }
  }

  /**
   * The fence stopped holding. No detach starts any more; every volume not yet detached is held (a
   * detach already on its way is decided by the adapter's check of the server); the incident waits
   * for a person and is never fenced again against a person's action.
   */
  void loseFence(String why) {
    IncidentState state = run.state;
    state.fenceLost = true;
    for (VolumeFlow flow : state.volumes) {
      boolean waiting = flow.phase == Phase.AWAITING_FENCE || flow.phase == Phase.QUEUED;
      boolean notSent =
          flow.phase == Phase.DETACH && flow.attempt != null && flow.attempt.commandId == null;
      if (waiting || notSent) {
        hold(flow);
      }
    }
    List<Long> held =
        state.volumes.stream()
            .filter(flow -> flow.phase == Phase.HELD)
            .map(VolumeFlow::volumeId)
            .toList();
    if (held.isEmpty() || state.status == IncidentStatus.HELD) {
      return;
    }
    state.status = IncidentStatus.HELD;
    state.holdReason = FailureCodes.FENCE_LOST + ": " + why;
    run.event(
        new IncidentHeld(
            run.eventId(),
            run.id(),
            run.now,
            FailureCodes.FENCE_LOST,
            why
                + "; volume(s) "
                + held
                + " stay on the server and wait for a person: resume fences it again, abort"
                + " leaves them"));
  }

  /** The fence was lost and a person's resume asked for a new one, not yet proven. */
  boolean fencingAgain() {
    IncidentState state = run.state;
    boolean fenceUnderWay =
        state.fence != null && (state.fence.commandId != null || state.fence.retryAt != null);
    return state.fenceLost && (state.permit == Permit.REQUESTED || fenceUnderWay);
  }

  static void hold(VolumeFlow flow) {
    flow.phase = Phase.HELD;
    flow.attempt = null;
    flow.round++; // a detach after a new fence is a new request, with ids of its own
  }

  private void failAwaitingFence(String code, String why) {
    for (VolumeFlow flow : run.state.volumes) {
      if (flow.phase == Phase.AWAITING_FENCE) {
        flows.fail(flow, Step.FENCE, code, why);
      }
    }
  }
}
