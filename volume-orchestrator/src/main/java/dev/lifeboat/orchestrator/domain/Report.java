package dev.lifeboat.orchestrator.domain;

import dev.lifeboat.events.CommandResult;
import dev.lifeboat.events.FailureCodes;
import dev.lifeboat.events.cluster.ClusterCommandFailed;
import dev.lifeboat.events.cluster.ClusterCommandSucceeded;
import dev.lifeboat.events.cluster.PodReady;
import dev.lifeboat.events.cluster.ReplacementPodScheduled;
import dev.lifeboat.events.hcloud.HcloudCommandAlreadyDone;
import dev.lifeboat.events.hcloud.HcloudCommandDryRun;
import dev.lifeboat.events.hcloud.HcloudCommandFailed;
import dev.lifeboat.events.hcloud.HcloudCommandSucceeded;

/** What a result (or its absence) means for the step that awaited it: success or failure. */
sealed interface Report {

  /**
   * The step's command did what it asked.
   *
   * @param detail what happened, for the timeline
   * @param serverDeleted the fence found the server deleted, which detached its volumes
   * @param scheduled where the replacement pod was bound, for RESCHEDULE
   * @param alreadyDone the world already was as asked (someone else did it)
   */
  record Success(
      String detail, boolean serverDeleted, ReplacementPodScheduled scheduled, boolean alreadyDone)
      implements Report {
    Success(String detail) {
      this(detail, false, null, false);
    }
  }

  /**
   * The step's command did not succeed.
   *
   * @param code a stable code
   * @param message what went wrong
   * @param retryable whether another attempt may succeed
   */
  record Failure(String code, String message, boolean retryable) implements Report {

    /** The same failure, with no further attempt. */
    Failure asFinal() {
      return new Failure(code, message, false);
    }
  }

  /** The report a result makes. */
  static Report of(CommandResult result) {
    if (result instanceof HcloudCommandSucceeded s) {
      return new Success("action " + s.actionId() + " finished");
    }
    if (result instanceof HcloudCommandAlreadyDone d) {
      return new Success(d.observed(), d.serverDeleted(), null, true);
    }
    if (result instanceof HcloudCommandDryRun d) {
      // A dry-run adapter proves nothing: going on would release pods of an unfenced node.
      return new Failure(
          SagaCodes.ADAPTER_DRY_RUN,
          "the adapter is in dry-run mode and only would have made " + d.wouldCall(),
          false);
    }
    if (result instanceof HcloudCommandFailed f) {
      return new Failure(
          f.errorCode(), f.errorMessage(), f.retryable() || deadlinePassed(f.errorCode()));
    }
    if (result instanceof ClusterCommandSucceeded s) {
      return new Success(s.detail() == null ? "done" : s.detail(), false, null, s.alreadyDone());
    }
    if (result instanceof ReplacementPodScheduled p) {
      return new Success("scheduled", false, p, false);
    }
    if (result instanceof PodReady p) {
      return new Success("pod " + p.pod().name() + " is Ready on " + p.nodeName());
    }
    ClusterCommandFailed f = (ClusterCommandFailed) result;
    return new Failure(f.code(), f.message(), f.retryable() || deadlinePassed(f.code()));
  }

  /**
   * Whether the service stopped at the command's deadline ({@code deadline_passed} from the
   * adapter, {@code DEADLINE_PASSED} from the watcher). The service calls that final, as it will
   * not carry this command out; for the saga it is the attempt's timeout, which its own tick may
   * not have seen yet: another attempt follows as after {@link #timeout}, and finds out what came
   * of the action.
   */
  private static boolean deadlinePassed(String code) {
    return FailureCodes.DEADLINE_PASSED.equalsIgnoreCase(code);
  }

  /** The failure of an attempt whose command had no result by its deadline. */
  static Failure timeout(Attempt attempt) {
    return new Failure(
        FailureCodes.TIMEOUT,
        "no result for "
            + attempt.request.type().getSimpleName()
            + " "
            + attempt.commandId
            + " by its deadline",
        true);
  }
}
