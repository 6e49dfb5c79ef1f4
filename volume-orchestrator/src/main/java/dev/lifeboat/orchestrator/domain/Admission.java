package dev.lifeboat.orchestrator.domain;

import dev.lifeboat.events.MessageIds;
import dev.lifeboat.events.permit.FlowSlotsGranted;
import dev.lifeboat.events.permit.FlowSlotsRefused;
import dev.lifeboat.events.permit.FlowSlotsRequested;
import dev.lifeboat.events.permit.FlowSlotsReturned;
import dev.lifeboat.events.permit.PermitMessage;

/**
 * The incident's share of the limit of volume flows in progress ({@link FlowSlots}): asked for once
 * the fence holds, asked for again at each recheck while refused or granted fewer than it wants (a
 * top-up, which never takes away what it holds), given back as the incident needs fewer, and all of
 * it when the incident ends. The incident runs at most as many flows at once as it holds.
 */
final class Admission {

  private final Run run;

  Admission(Run run) {
    this.run = run;
  }

  /**
   * Whether the incident's flows may start: they may once slots are granted. Otherwise asks for
   * them, unless a request is on its way or a refused one waits for its recheck.
   */
  boolean admitted() {
    IncidentState state = run.state;
    return switch (state.slots) {
      case GRANTED -> {
        // Granted fewer than it wants: asks for more at each recheck, running what it holds.
        if (state.recheckAt == null && state.slotsRequest == null && state.slotsHeld < wanted()) {
          request(false);
        }
        yield true;
      }
      case REQUESTED -> false;
      case NONE, RELEASED -> {
        if (state.recheckAt == null) {
          ask(false);
        }
        yield false;
      }
    };
  }

  /**
   * After a person's retry: asks, past the limit on the person's word, for the slots the incident
   * now needs when it holds fewer (the retried flow counts from the moment it starts).
   */
  void askForRetry() {
    IncidentState state = run.state;
    if (state.slots == Permit.GRANTED && state.slotsHeld >= wanted()) {
      return;
    }
    state.recheckAt = null;
    ask(true);
  }

  private void ask(boolean override) {
    run.state.slots = Permit.REQUESTED;
    request(override);
  }

  private void request(boolean override) {
    IncidentState state = run.state;
    state.slotsRequest = run.eventId();
    run.event(
        new FlowSlotsRequested(
            state.slotsRequest,
            run.id(),
            run.now,
            wanted(),
            run.policy.maxActiveFlows(),
            override));
  }

  /**
   * The answer to this incident's latest request; any other (late, repeated, or to a request a
   * newer one replaced) changes nothing, as the deciding partition replaced it too.
   */
  void onAnswer(PermitMessage answer) {
    IncidentState state = run.state;
    boolean awaited = state.slots == Permit.REQUESTED || state.slots == Permit.GRANTED;
    if (!awaited
        || state.slotsRequest == null
        || !answer.messageId().equals(MessageIds.derived(state.slotsRequest, "answer"))) {
      return;
    }
    state.slotsRequest = null;
    if (answer instanceof FlowSlotsGranted granted) {
      state.slots = Permit.GRANTED;
      state.slotsHeld = granted.granted();
      if (granted.granted() < wanted()) {
        state.recheckAt = run.now.plus(run.policy.pauseRecheck());
      }
    } else if (answer instanceof FlowSlotsRefused) {
      state.slots = Permit.NONE;
      state.recheckAt = run.now.plus(run.policy.pauseRecheck());
    }
  }

  /** How many of its flows the incident may run at once now. */
  int slots() {
    IncidentState state = run.state;
    return state.slots == Permit.GRANTED
        ? Math.min(state.slotsHeld, run.policy.maxParallelVolumes())
        : 0;
  }

  /**
   * After every message: gives back the slots the incident no longer needs (fewer flows are left
   * than it holds), and all of them once it ended. A request still on its way is given back too:
   * the return reaches the deciding partition after it.
   */
  void giveBack() {
    IncidentState state = run.state;
    if (state.status.terminal()) {
      if (state.slots == Permit.GRANTED || state.slots == Permit.REQUESTED) {
        state.slots = Permit.RELEASED;
        state.slotsHeld = 0;
        run.event(new FlowSlotsReturned(run.eventId(), run.id(), run.now, 0));
      }
      return;
    }
    int left = unended();
    if (state.slots == Permit.GRANTED && left < state.slotsHeld) {
      state.slotsHeld = left;
      // A top-up on its way was decided before this return: its answer would be stale.
      state.slotsRequest = null;
      run.event(new FlowSlotsReturned(run.eventId(), run.id(), run.now, left));
    }
  }

  /** How many flows the incident would run at once: its flows not ended, up to its own limit. */
  private int wanted() {
    return Math.max(1, Math.min(unended(), run.policy.maxParallelVolumes()));
  }

  private int unended() {
    return (int) run.state.volumes.stream().filter(flow -> !flow.phase.ended()).count();
  }
}
