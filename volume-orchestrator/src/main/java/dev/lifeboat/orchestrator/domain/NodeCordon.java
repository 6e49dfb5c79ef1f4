package dev.lifeboat.orchestrator.domain;

import dev.lifeboat.events.cluster.CordonNode;
import dev.lifeboat.events.saga.Step;
import dev.lifeboat.orchestrator.domain.Report.Failure;
import dev.lifeboat.orchestrator.domain.Report.Success;
import java.time.Duration;

/**
 * The cordon of the lost node (part of the incident's RELEASE): asked for once the fence holds, so
 * that the scheduler keeps replacement pods off a node that still looks Ready to Kubernetes. It is
 * what lets each volume's pods be released as soon as their volumes are off the server, without
 * waiting for the node-wide taint. Taken off after the end if the node came back and the saga was
 * the one that cordoned it. Its state is a {@link TaintStatus}, as the taint's.
 */
final class NodeCordon {

  private final Run run;

  NodeCordon(Run run) {
    this.run = run;
  }

  /** Asks for the cordon, unless it was asked for already; again if an abort abandoned it. */
  void ask() {
    IncidentState state = run.state;
    if (state.cordonStatus == TaintStatus.NONE) {
      state.cordon = new Attempt(step(), Request.CORDON);
    } else if (state.cordonStatus == TaintStatus.ABANDONED) {
      state.cordon.number++;
    } else {
      return;
    }
    state.cordonStatus = TaintStatus.PENDING;
    send();
  }

  /** True once the scheduler keeps new pods off the node. */
  boolean holds() {
    return run.state.cordonStatus == TaintStatus.APPLIED;
  }

  void send() {
    send(run.state.cordon, true);
  }

  void onReport(Report report) {
    IncidentState state = run.state;
    if (report instanceof Success success) {
      state.cordonStatus = TaintStatus.APPLIED;
      state.cordonedHere = !success.alreadyDone();
      run.succeeded(
          step(),
          null,
          state.cordon.number,
          success.alreadyDone()
              ? "node was already cordoned (it stays so after the incident)"
              : "node cordoned: the scheduler keeps replacement pods off it");
    } else {
      // Without the cordon, pods wait for the node-wide taint, as they did before it existed.
      run.failOrRetry(
          state.cordon,
          null,
          (Failure) report,
          failure -> state.cordonStatus = TaintStatus.GIVEN_UP);
    }
  }

  /** Once the incident ended and the node came back, the cordon this saga applied is taken off. */
  void removeIfBack() {
    if (run.state.nodeReturned) {
      remove();
    }
  }

  /** Takes off the cordon this saga applied (a removal cancelled before anything moved). */
  void remove() {
    IncidentState state = run.state;
    if (state.cordonStatus == TaintStatus.APPLIED && state.cordonedHere && state.uncordon == null) {
      state.uncordon = new Attempt(step(), Request.UNCORDON);
      sendUncordon();
    }
  }

  /** A loss's cordon is part of RELEASE; a removal's is the first part of emptying the node. */
  private Step step() {
    return run.state.kind == IncidentKind.REMOVAL ? Step.EVICT : Step.RELEASE;
  }

  void sendUncordon() {
    send(run.state.uncordon, false);
  }

  void onUncordonReport(Report report) {
    if (report instanceof Success) {
      run.succeeded(
          step(),
          null,
          1,
          run.state.kind == IncidentKind.REMOVAL
              ? "removal cancelled before anything moved: uncordoned"
              : "node came back: uncordoned");
    }
  }

  /** The cordon waits for nothing more; one not yet settled is abandoned. */
  void abandon() {
    IncidentState state = run.state;
    if (state.cordon != null) {
      state.cordon.idle();
      if (state.cordonStatus == TaintStatus.PENDING) {
        state.cordonStatus = TaintStatus.ABANDONED;
      }
    }
  }

  /** One quick write to the node, like RELEASE's. */
  private void send(Attempt attempt, boolean unschedulable) {
    Duration timeout = run.policy.step(Step.RELEASE).timeout();
    run.send(
        attempt,
        null,
        0,
        (messageId, commandId) ->
            new CordonNode(
                messageId,
                run.id(),
                run.now,
                commandId,
                run.nodeName(),
                unschedulable,
                run.now.plus(timeout)),
        timeout);
  }
}
