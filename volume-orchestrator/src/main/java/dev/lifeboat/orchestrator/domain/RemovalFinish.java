package dev.lifeboat.orchestrator.domain;

import dev.lifeboat.events.cluster.DeleteNode;
import dev.lifeboat.events.cluster.EvictPods;
import dev.lifeboat.events.hcloud.RetireServer;
import dev.lifeboat.events.node.ServerDisposal;
import dev.lifeboat.events.saga.IncidentHeld;
import dev.lifeboat.events.saga.IncidentStatus;
import dev.lifeboat.events.saga.Step;
import dev.lifeboat.orchestrator.domain.Report.Failure;
import dev.lifeboat.orchestrator.domain.Report.Success;
import java.time.Duration;
import java.util.List;

/**
 * A removal's FINISH, once every volume moved: evict the node's other pods (DRAIN), then delete the
 * server or power it off as asked (RETIRE: hcloud-adapter does it only while Hetzner shows no
 * volume attached to it), and delete the Node object of a deleted server (DELETE_NODE), one after
 * the other. A server kept is left running, empty and cordoned. A part that gives up holds the
 * removal for a person, who resumes it (the part is tried again) or aborts it.
 */
final class RemovalFinish {

  /** Code of the hold when a part of FINISH gave up. */
  static final String FINISH_FAILED = "FINISH_FAILED";

  private final Run run;

  RemovalFinish(Run run) {
    this.run = run;
  }

  /** The parts awaiting a command, with what reacts to their reports. */
  void addAwaiters(List<Run.Awaiter> awaiters) {
    IncidentState state = run.state;
    if (state.drain != null) {
      awaiters.add(
          new Run.Awaiter(
              state.drain, report -> onReport(state.drain, report), () -> send(state.drain)));
    }
    if (state.retire != null) {
      awaiters.add(
          new Run.Awaiter(
              state.retire, report -> onReport(state.retire, report), () -> send(state.retire)));
    }
    if (state.deleteNode != null) {
      awaiters.add(
          new Run.Awaiter(
              state.deleteNode,
              report -> onReport(state.deleteNode, report),
              () -> send(state.deleteNode)));
    }
  }

  /** Starts the next part when the one before succeeded; true once every part asked for is done. */
  boolean advance() {
    IncidentState state = run.state;
    if (!state.drained) {
      startOnce(state.drain, Request.DRAIN);
      return false;
    }
    if (state.then != ServerDisposal.KEEP && !state.retired) {
      startOnce(state.retire, Request.RETIRE);
      return false;
    }
    if (state.then == ServerDisposal.DELETE && !state.nodeDeleted) {
      startOnce(state.deleteNode, Request.DELETE_NODE);
      return false;
    }
    return true;
  }

  /** True once the server is being deleted or powered off: a cancel comes too late then. */
  boolean serverTouched() {
    IncidentState state = run.state;
    return state.retire != null || state.retired;
  }

  /**
   * After a person resumed a hold: the part that gave up is tried again, from its first attempt.
   */
  void resume() {
    IncidentState state = run.state;
    if (!state.drained) {
      state.drain = null;
    } else if (!state.retired) {
      state.retire = null;
    } else {
      state.deleteNode = null;
    }
  }

  /** A person aborted the removal: FINISH waits for nothing more and starts nothing. */
  void stop() {
    IncidentState state = run.state;
    for (Attempt attempt : new Attempt[] {state.drain, state.retire, state.deleteNode}) {
      if (attempt != null) {
        attempt.idle();
      }
    }
  }

  private void startOnce(Attempt current, Request request) {
    if (current != null) {
      return; // under way, or waiting for its retry
    }
    Attempt attempt = new Attempt(Step.FINISH, request);
    switch (request) {
      case DRAIN -> run.state.drain = attempt;
      case RETIRE -> run.state.retire = attempt;
      default -> run.state.deleteNode = attempt;
    }
    send(attempt);
  }

  private void send(Attempt attempt) {
    IncidentState state = run.state;
    Duration timeout = run.policy.step(Step.FINISH).timeout();
    // The drain is a wait with its own timeout, reported by node-watcher: a margin for the report.
    Duration deadline =
        attempt.request == Request.DRAIN ? timeout.plus(Run.REPORT_MARGIN) : timeout;
    run.send(
        attempt,
        null,
        0,
        (messageId, commandId) ->
            switch (attempt.request) {
              case DRAIN ->
                  new EvictPods(
                      messageId,
                      run.id(),
                      run.now,
                      commandId,
                      run.nodeName(),
                      List.of(),
                      true,
                      timeout,
                      run.now.plus(deadline));
              case RETIRE ->
                  new RetireServer(
                      messageId,
                      run.id(),
                      run.now,
                      commandId,
                      run.serverId(),
                      state.then,
                      run.now.plus(deadline));
              default ->
                  new DeleteNode(
                      messageId,
                      run.id(),
                      run.now,
                      commandId,
                      run.nodeName(),
                      state.node.uid(),
                      run.now.plus(deadline));
            },
        deadline);
  }

  private void onReport(Attempt attempt, Report report) {
    IncidentState state = run.state;
    if (report instanceof Success success) {
      run.succeeded(Step.FINISH, null, attempt.number, detail(attempt.request, success));
      attempt.idle();
      switch (attempt.request) {
        case DRAIN -> state.drained = true;
        case RETIRE -> state.retired = true;
        default -> state.nodeDeleted = true;
      }
      return;
    }
    run.failOrRetry(attempt, null, (Failure) report, gaveUp -> hold(attempt, gaveUp));
  }

  private String detail(Request request, Success success) {
    IncidentState state = run.state;
    return switch (request) {
      case DRAIN -> "node drained: " + success.detail();
      case RETIRE ->
          (state.then == ServerDisposal.DELETE ? "server deleted" : "server powered off")
              + " with no volume attached: "
              + success.detail();
      default -> "Node object deleted: " + success.detail();
    };
  }

  private void hold(Attempt attempt, Failure failure) {
    IncidentState state = run.state;
    attempt.idle();
    String why =
        "every volume moved, but "
            + switch (attempt.request) {
              case DRAIN -> "the node's other pods were not evicted";
              case RETIRE ->
                  "server "
                      + run.serverId()
                      + " was not "
                      + (state.then == ServerDisposal.DELETE ? "deleted" : "powered off");
              default -> "the Node object was not deleted";
            }
            + " ("
            + failure.code()
            + ": "
            + failure.message()
            + ")";
    state.status = IncidentStatus.HELD;
    state.holdReason = FINISH_FAILED + ": " + why;
    run.event(
        new IncidentHeld(
            run.eventId(),
            run.id(),
            run.now,
            FINISH_FAILED,
            why + "; a person can resume the removal (which tries again) or abort it"));
  }
}
