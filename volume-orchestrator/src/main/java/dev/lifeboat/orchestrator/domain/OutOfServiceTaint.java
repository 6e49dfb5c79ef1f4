package dev.lifeboat.orchestrator.domain;

import dev.lifeboat.events.cluster.RemoveOutOfServiceTaint;
import dev.lifeboat.events.cluster.TaintNodeOutOfService;
import dev.lifeboat.events.saga.Step;
import dev.lifeboat.orchestrator.domain.Report.Failure;
import dev.lifeboat.orchestrator.domain.Report.Success;
import java.time.Duration;
import java.time.Instant;

/**
 * The node-wide out-of-service taint (a RELEASE of the whole node): asked for once no volume is on
 * the server, taken off again after the end if the node came back. Its state is {@link
 * TaintStatus}.
 */
final class OutOfServiceTaint {

  private final Run run;

  OutOfServiceTaint(Run run) {
    this.run = run;
  }

  /** Asks for the taint, unless it was asked for already; again if an abort abandoned it. */
  void ask() {
    IncidentState state = run.state;
    if (state.taintStatus == TaintStatus.NONE) {
      state.taint = new Attempt(Step.RELEASE, Request.TAINT);
    } else if (state.taintStatus == TaintStatus.ABANDONED) {
      state.taint.number++; // a retried volume needs the taint an abort abandoned
    } else {
      return;
    }
    state.taintStatus = TaintStatus.PENDING;
    send();
  }

  /**
   * Does without the taint, because these volumes stay on the server and the taint would have them
   * force-detached: the flows go on, each releasing its own pods.
   */
  void forgo(java.util.List<Long> staying) {
    IncidentState state = run.state;
    if (state.taintStatus != TaintStatus.NONE && state.taintStatus != TaintStatus.ABANDONED) {
      return;
    }
    state.taintStatus = TaintStatus.NOT_APPLIED;
    run.succeeded(
        Step.RELEASE,
        null,
        1,
        "node not tainted out-of-service: volume(s) "
            + staying
            + " stay on server "
            + run.serverId()
            + ", which the taint would force-detach; pods are released one by one");
  }

  void send() {
    send(run.state.taint);
  }

  void onReport(Report report) {
    IncidentState state = run.state;
    if (report instanceof Success) {
      state.taintStatus = TaintStatus.APPLIED;
      run.succeeded(Step.RELEASE, null, state.taint.number, "node tainted out-of-service");
    } else {
      run.failOrRetry(
          state.taint, null, (Failure) report, failure -> state.taintStatus = TaintStatus.GIVEN_UP);
    }
  }

  /** Once the incident ended and the node came back, the taint it applied is taken off again. */
  void removeIfBack() {
    IncidentState state = run.state;
    if (state.nodeReturned && state.taintStatus == TaintStatus.APPLIED && state.untaint == null) {
      state.untaint = new Attempt(Step.RELEASE, Request.UNTAINT);
      sendUntaint();
    }
  }

  void sendUntaint() {
    send(run.state.untaint);
  }

  /** Sends the taint's or the untaint's command: one quick write to the node, like RELEASE's. */
  private void send(Attempt attempt) {
    Duration timeout = run.policy.step(Step.RELEASE).timeout();
    Instant notAfter = run.now.plus(timeout);
    run.send(
        attempt,
        null,
        0,
        (messageId, commandId) ->
            attempt.request == Request.TAINT
                ? new TaintNodeOutOfService(
                    messageId, run.id(), run.now, commandId, run.nodeName(), notAfter)
                : new RemoveOutOfServiceTaint(
                    messageId, run.id(), run.now, commandId, run.nodeName(), notAfter),
        timeout);
  }

  void onUntaintReport(Report report) {
    if (report instanceof Success) {
      run.succeeded(Step.RELEASE, null, 1, "node came back: out-of-service taint removed");
    }
  }

  /** The taint waits for nothing more; a taint not yet settled is abandoned. */
  void abandon() {
    IncidentState state = run.state;
    if (state.taint != null) {
      state.taint.idle();
      if (state.taintStatus == TaintStatus.PENDING) {
        state.taintStatus = TaintStatus.ABANDONED;
      }
    }
  }
}
