package dev.lifeboat.orchestrator.domain;

import dev.lifeboat.events.FailureCodes;
import dev.lifeboat.events.codec.MessageTypes;
import dev.lifeboat.events.control.AbortIncident;
import dev.lifeboat.events.control.CancelIncident;
import dev.lifeboat.events.control.ControlRequest;
import dev.lifeboat.events.control.ResumeIncident;
import dev.lifeboat.events.control.RetryVolume;
import dev.lifeboat.events.node.ServerDisposal;
import dev.lifeboat.events.saga.IncidentStatus;
import dev.lifeboat.events.saga.RequestRefused;
import dev.lifeboat.events.saga.Step;
import java.util.Optional;

/**
 * What people and the node itself can do to a running incident: the node comes back, a person
 * resumes, cancels, aborts or retries a volume. Whether a request is allowed is decided here only
 * ({@link #refusal}); the API asks the same function before it accepts one.
 */
public final class Control {

  private final Run run;
  private final IncidentSteps incident;
  private final VolumeSteps flows;

  Control(Run run, IncidentSteps incident, VolumeSteps flows) {
    this.run = run;
    this.incident = incident;
    this.flows = flows;
  }

  /** The requests a person can make of one incident. */
  public enum Kind {
    RESUME,
    CANCEL,
    ABORT,
    RETRY_VOLUME;

    /** The kind of a request; null for requests to the whole service (pause, resume all). */
    static Kind of(ControlRequest request) {
      if (request instanceof ResumeIncident) {
        return RESUME;
      }
      if (request instanceof CancelIncident) {
        return CANCEL;
      }
      if (request instanceof AbortIncident) {
        return ABORT;
      }
      return request instanceof RetryVolume ? RETRY_VOLUME : null;
    }
  }

  /**
   * Why a request of this kind cannot change the incident in this state, or empty when it can.
   *
   * @param volumeId the volume, for {@link Kind#RETRY_VOLUME}
   */
  public static Optional<String> refusal(IncidentState state, Kind kind, long volumeId) {
    IncidentStatus status = state.status;
    String is = "incident " + state.incidentId + " is " + status;
    return switch (kind) {
      case RESUME ->
          status == IncidentStatus.HELD
              ? Optional.empty()
              : Optional.of("only a held incident can be resumed; " + is);
      case CANCEL -> {
        if (status.terminal()) {
          yield Optional.of(is + ": it already ended");
        }
        if (state.kind == IncidentKind.REMOVAL) {
          yield state.retire != null || state.retired
              ? Optional.of(
                  "removal "
                      + state.incidentId
                      + " already asked for server "
                      + state.node.serverId()
                      + " to be "
                      + (state.then == ServerDisposal.DELETE ? "deleted" : "powered off")
                      + ": too late to cancel")
              : state.cancelRequested
                  ? Optional.of("removal " + state.incidentId + " is being cancelled already")
                  : Optional.empty();
        }
        yield state.mutatingSent
            ? Optional.of(
                is
                    + " and has sent a mutating command: only an incident that has sent none can"
                    + " be cancelled; abort stops one that has")
            : Optional.empty();
      }
      case ABORT -> status.terminal() ? Optional.of(is + ": it already ended") : Optional.empty();
      case RETRY_VOLUME -> {
        VolumeFlow flow = state.volume(volumeId).orElse(null);
        if (flow == null) {
          yield Optional.of("incident " + state.incidentId + " has no volume " + volumeId);
        }
        if (status == IncidentStatus.CANCELLED || status == IncidentStatus.HELD) {
          yield Optional.of(is + ": a volume is retried only in a running or ended incident");
        }
        if (state.fenceLost) {
          yield Optional.of(
              "the fence of incident "
                  + state.incidentId
                  + " no longer holds: resume it (which fences the server again) or abort it");
        }
        if (state.nodeReturned && !state.fenced) {
          yield Optional.of(
              "node "
                  + state.node.name()
                  + " came back before its fence was proven: it is not fenced now; a new loss"
                  + " is handled as such");
        }
        yield flow.phase == Phase.FAILED
            ? Optional.empty()
            : Optional.of(
                "volume "
                    + volumeId
                    + " is "
                    + flow.phase
                    + ": only a failed volume can be retried");
      }
    };
  }

  /** The refusal of a request; requests to the whole service are the host's, never refused here. */
  static Optional<String> refusal(IncidentState state, ControlRequest request) {
    Kind kind = Kind.of(request);
    if (kind == null) {
      return Optional.empty();
    }
    return refusal(state, kind, request instanceof RetryVolume retry ? retry.volumeId() : 0);
  }

  /**
   * The node is back. Before its fence is proven the incident ends here: nothing more is sent for
   * it, not even the fence again. A power off already sent may still take effect; the incident then
   * says so, and the volumes move only when the node is lost again (a new loss).
   */
  void nodeReturned() {
    IncidentState state = run.state;
    state.nodeReturned = true;
    if (!state.status.open() || state.fenceLost) {
      return;
    }
    if (state.fenced) {
      // Back after its fence: someone started the server again, so the fence no longer holds.
      incident.fence.loseFence("node " + run.nodeName() + " came back: its server runs again");
      return;
    }
    boolean fenceSent = state.fence != null && state.fence.commandId != null;
    incident.cancel(
        "node "
            + run.nodeName()
            + " came back before its fence was proven"
            + (fenceSent
                ? "; the fence sent to server "
                    + run.serverId()
                    + " may still take effect, and its volumes then move only if it is lost again"
                : ""));
  }

  void on(ControlRequest request) {
    Optional<String> refused = refusal(run.state, request);
    if (refused.isPresent() && RemovalHandover.BY.equals(request.requestedBy())) {
      return; // a loss after the removal ended (or before it began): nothing to hand over
    }
    if (refused.isPresent()) {
      run.event(
          new RequestRefused(
              run.eventId(),
              run.id(),
              run.now,
              request.messageId(),
              MessageTypes.typeOf(request.getClass()),
              refused.get()));
      return;
    }
    String who = request.requestedBy();
    if (request instanceof AbortIncident handover
        && RemovalHandover.BY.equals(who)
        && run.state.kind == IncidentKind.REMOVAL) {
      incident.handOverRemoval(handover.reason());
      return;
    }
    if (request instanceof ResumeIncident) {
      resume(who);
    } else if (request instanceof CancelIncident cancel) {
      String why = "cancelled by " + who + reasonSuffix(cancel.reason());
      if (run.state.kind == IncidentKind.REMOVAL) {
        incident.cancelRemoval(why);
      } else {
        incident.cancel(why);
      }
    } else if (request instanceof AbortIncident abort) {
      abort("aborted by " + who + reasonSuffix(abort.reason()));
    } else if (request instanceof RetryVolume retry) {
      retry(retry.volumeId());
    }
    // Pause and resume of all commands are the host's, given to the saga as Conditions.
  }

  private void resume(String who) {
    IncidentState state = run.state;
    state.status = IncidentStatus.RUNNING;
    state.holdReason = null;
    if (state.kind == IncidentKind.REMOVAL) {
      incident.finish.resume(); // a removal is held only when a part of FINISH gave up
      return;
    }
    if (state.fenceLost) {
      // A person asks to fence again the server that runs again; the held volumes detach once
      // the new fence is proven (until then the fence stays lost).
      for (VolumeFlow flow : state.volumes) {
        if (flow.phase == Phase.HELD) {
          flow.phase = Phase.AWAITING_FENCE;
        }
      }
    }
    if (state.permit != Permit.GRANTED) {
      // Past the cap on a person's word: the permits count it, and the fence starts once the
      // grant is back.
      state.resumedBy = who;
      incident.fence.askPermit(true);
    } else if (state.fencing == FencePolicy.NONE) {
      state.fence = new Attempt(Step.FENCE, null);
      incident.fence.fencedWithoutCommand("fence vouched for by " + who);
    } else {
      incident.fence.startFence();
    }
  }

  private void abort(String why) {
    IncidentState state = run.state;
    if (!state.mutatingSent) {
      incident.cancel(why);
      return;
    }
    incident.stopIncidentAttempts();
    incident.finish.stop();
    state.status = IncidentStatus.RUNNING; // a held incident ends too, once its flows have
    state.holdReason = null;
    for (VolumeFlow flow : state.volumes) {
      if (!flow.phase.ended()) {
        Step step = flow.attempt == null ? flow.phase.step() : flow.attempt.step;
        int number = flow.attempt == null ? 1 : flow.attempt.number;
        run.failed(step, flow.volumeId(), number, SagaCodes.ABORTED, why, true);
        flows.fail(flow, step, SagaCodes.ABORTED, why);
      }
    }
    if (state.kind == IncidentKind.REMOVAL
        && state.volumes.stream().allMatch(flow -> flow.phase == Phase.MOVED)) {
      // Aborted in FINISH: every volume moved; the server and the Node are left as they are.
      incident.cancelRemoval(why);
    }
  }

  private void retry(long volumeId) {
    IncidentState state = run.state;
    VolumeFlow flow = state.volume(volumeId).orElseThrow();
    Step step = flow.failure.step();
    // Its target's server stopped running: handed on to a new replacement pod, not the same
    // attach again.
    boolean targetGone = FailureCodes.TARGET_NOT_RUNNING.equals(flow.failure.reason());
    flow.failure = null;
    flow.round++; // fresh command ids: the first round's may still be answered late
    flow.endedAt = null;
    state.status = IncidentStatus.RUNNING;
    state.endedAt = null;
    switch (step) {
      case PRE_FLIGHT, FENCE -> {
        flow.phase = state.fenced ? Phase.QUEUED : Phase.AWAITING_FENCE;
        if (!state.fenced && (state.fence == null || state.fence.commandId == null)) {
          incident.fence.fenceOrHold();
        }
      }
      case EVICT, DETACH -> flow.phase = Phase.QUEUED;
      case RELEASE -> flow.phase = Phase.DETACHED;
      case ATTACH -> {
        if (targetGone) {
          // The replacement pod waits on the lost target: released there, then a new one.
          flows.handOn(flow, false);
        } else {
          flows.start(flow, flow.targetServer > 0 ? Phase.ATTACH : Phase.RESCHEDULE);
        }
      }
      case VERIFY -> flows.start(flow, Phase.VERIFY);
      default -> flows.start(flow, Phase.RESCHEDULE);
    }
    incident.admission.askForRetry();
  }

  private static String reasonSuffix(String reason) {
    return reason == null || reason.isBlank() ? "" : ": " + reason;
  }
}
