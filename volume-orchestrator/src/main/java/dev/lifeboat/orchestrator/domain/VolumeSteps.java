package dev.lifeboat.orchestrator.domain;

import dev.lifeboat.events.Command;
import dev.lifeboat.events.FailureCodes;
import dev.lifeboat.events.cluster.AwaitPodReady;
import dev.lifeboat.events.cluster.AwaitReplacementPod;
import dev.lifeboat.events.cluster.DeleteVolumeAttachments;
import dev.lifeboat.events.cluster.EvictPods;
import dev.lifeboat.events.cluster.ReplacementPodScheduled;
import dev.lifeboat.events.hcloud.AttachVolume;
import dev.lifeboat.events.hcloud.DetachVolume;
import dev.lifeboat.events.node.HeldVolume;
import dev.lifeboat.events.node.PodRef;
import dev.lifeboat.events.saga.Step;
import dev.lifeboat.orchestrator.domain.Report.Failure;
import dev.lifeboat.orchestrator.domain.Report.Success;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The table of a volume's steps after the fence (in a removal, after the cordon: EVICT first, and
 * RELEASE without a force deletion, the pods having gone gracefully), and the small functions that
 * run it: each row says which command the step sends, what success leads to and which failures are
 * final; every other failure is retried under the step's policy and, once given up, ends the
 * volume's flow (PARTIAL).
 *
 * <p>A step is one command. Where a step needs two actions in order, the service that carries it
 * out does both and stops at the first failure: RELEASE's node-watcher force-deletes the volume's
 * pods and then deletes its VolumeAttachment, and deletes no attachment unless the pods' deletion
 * went through; VERIFY's touches the new attachment, then waits for the pod. Two commands, each
 * sent once the other's result was read, cost a second round trip through Kafka per volume:
 * measured in the storm, 2.5 to 3.3 s between a volume's force deletion and its attachment's.
 */
final class VolumeSteps {

  /**
   * One step of a volume's flow.
   *
   * @param phase the phase a flow is in while the step runs
   * @param request the command the step sends
   * @param next where a flow goes once the command succeeded
   * @param detail what the timeline says on success; null to take the last result's words
   * @param finalCodes failure codes that end the flow at once, however many attempts are left
   */
  record Row(Phase phase, Request request, Phase next, String detail, Set<String> finalCodes) {
    Step step() {
      return phase.step();
    }
  }

  /** The table, in the order a volume goes through it. */
  static final List<Row> TABLE =
      List.of(
          new Row(Phase.EVICT, Request.EVICT_PODS, Phase.DETACH, null, Set.of()),
          new Row(Phase.DETACH, Request.DETACH, Phase.DETACHED, null, Set.of()),
          new Row(
              Phase.RELEASE,
              Request.RELEASE,
              Phase.RESCHEDULE,
              "pods and attachment released",
              Set.of()),
          new Row(
              Phase.RESCHEDULE,
              Request.AWAIT_REPLACEMENT,
              Phase.ATTACH,
              null,
              Set.of(FailureCodes.NO_ELIGIBLE_NODE)),
          new Row(Phase.ATTACH, Request.ATTACH, Phase.VERIFY, null, Set.of()),
          new Row(Phase.VERIFY, Request.AWAIT_READY, Phase.MOVED, null, Set.of()));

  private static final Map<Phase, Row> BY_PHASE = new EnumMap<>(Phase.class);

  static {
    TABLE.forEach(row -> BY_PHASE.put(row.phase(), row));
  }

  /**
   * The pods a release force-deletes before the attachment: none for a volume that no pod used, nor
   * in a removal, whose pods were evicted gracefully.
   */
  private List<PodRef> podsToForceDelete(VolumeFlow flow) {
    boolean evicted = run.state.kind == IncidentKind.REMOVAL && !flow.handingOn;
    return evicted ? List.of() : podsToRelease(flow);
  }

  /** The pods a release deletes: the node's, or the replacement on a lost target. */
  private static List<PodRef> podsToRelease(VolumeFlow flow) {
    if (flow.handingOn) {
      return flow.replacementPod == null ? List.of() : List.of(flow.replacementPod);
    }
    return flow.volume.pods();
  }

  /** How often a volume is handed on from a lost target before its flow fails. */
  static final int MAX_HAND_ONS = 2;

  private final Run run;

  VolumeSteps(Run run) {
    this.run = run;
  }

  // ---- running a row ----------------------------------------------------------------------------

  /** Starts the step of this phase for the flow: sends its command. */
  void start(VolumeFlow flow, Phase phase) {
    Row row = BY_PHASE.get(phase);
    flow.phase = phase;
    flow.attempt = new Attempt(row.step(), row.request());
    send(flow);
  }

  /** Sends the flow's current command (again, after a backoff or a pause). */
  void send(VolumeFlow flow) {
    Attempt attempt = flow.attempt;
    Duration timeout = run.policy.step(attempt.step).timeout();
    Duration deadline = deadline(attempt);
    // Every command carries the moment the saga stops waiting for it (its attempt's deadline):
    // neither the adapter nor the watcher starts or continues it after that.
    Instant notAfter = run.now.plus(deadline);
    run.send(
        attempt,
        flow.volumeId(),
        flow.round,
        (messageId, commandId) ->
            command(attempt.request, flow, messageId, commandId, timeout, notAfter),
        deadline);
  }

  /** How long the saga waits for the result of the attempt's command. */
  private Duration deadline(Attempt attempt) {
    return switch (attempt.request) {
      // A wait reports by its own timeout; the margin lets that report arrive.
      case AWAIT_REPLACEMENT, AWAIT_READY, EVICT_PODS ->
          run.policy.step(attempt.step).timeout().plus(Run.REPORT_MARGIN);
      default -> run.policy.step(attempt.step).timeout();
    };
  }

  /** What a flow's result or timeout leads to. */
  void onReport(VolumeFlow flow, Report report) {
    Row row = BY_PHASE.get(flow.phase);
    Attempt attempt = flow.attempt;
    if (report instanceof Failure failure) {
      if (targetLost(flow, failure)
          && flow.handOns < MAX_HAND_ONS
          && run.state.kind != IncidentKind.REPAIR) {
        run.failed(
            attempt.step,
            flow.volumeId(),
            attempt.number,
            failure.code(),
            failure.message(),
            false);
        handOn(flow, failure.code().equals(FailureCodes.TARGET_LOST));
        return;
      }
      Failure given =
          row.finalCodes().contains(failure.code())
                  || (run.state.kind == IncidentKind.REPAIR && targetLost(flow, failure))
              ? failure.asFinal()
              : failure;
      if (flow.handingOn
          && flow.phase == Phase.DETACH
          && FailureCodes.SERVER_RUNNING.equals(failure.code())) {
        // The lost target still runs: its own incident fences it; until then, wait and try again.
        given = new Failure(failure.code(), failure.message(), true);
      }
      run.failOrRetry(
          attempt,
          flow.volumeId(),
          given,
          gaveUp -> fail(flow, attempt.step, gaveUp.code(), gaveUp.message()));
      return;
    }
    Success success = (Success) report;
    String detail = row.detail() != null ? row.detail() : success.detail();
    if (row.phase() == Phase.RESCHEDULE) {
      detail = bindTarget(flow, success.scheduled());
      if (detail == null) {
        return;
      }
    }
    run.succeeded(row.step(), flow.volumeId(), attempt.number, detail);
    if (run.state.kind == IncidentKind.REPAIR) {
      // A doctor's repair: one step (the detach or the attach), or a move's three.
      Phase then = IncidentSteps.moves(run.state) ? afterInAMove(row.phase()) : null;
      if (then != null) {
        start(flow, then);
        return;
      }
      flow.phase = Phase.REPAIRED;
      flow.attempt = null;
      flow.endedAt = run.now;
      return;
    }
    if (row.phase() == Phase.DETACH && flow.handingOn) {
      // Off the lost target: no node-wide taint to wait for, its replacement pod goes next.
      start(flow, Phase.RELEASE);
      return;
    }
    if (BY_PHASE.containsKey(row.next())) {
      start(flow, row.next());
    } else {
      flow.phase = row.next();
      flow.attempt = null;
      if (flow.phase.ended()) {
        flow.endedAt = run.now;
      }
    }
  }

  /** A repair's move: off the lost server, its node's attachment released, then attached. */
  private static Phase afterInAMove(Phase done) {
    return switch (done) {
      case DETACH -> Phase.RELEASE;
      case RELEASE -> Phase.ATTACH;
      default -> null;
    };
  }

  /**
   * Whether the failure says the target is lost: its server stopped running before the attach, or
   * its node was declared lost while the pod waited there.
   */
  private static boolean targetLost(VolumeFlow flow, Failure failure) {
    return (flow.phase == Phase.ATTACH && FailureCodes.TARGET_NOT_RUNNING.equals(failure.code()))
        || (flow.phase == Phase.VERIFY && FailureCodes.TARGET_LOST.equals(failure.code()));
  }

  /**
   * Hands the volume on from a lost target: detached from the target's server once that server is
   * off or gone (when it was attached there), the replacement pod on the target deleted, then a new
   * replacement, attach and verify, with requests of their own.
   */
  void handOn(VolumeFlow flow, boolean attachedThere) {
    flow.handingOn = true;
    flow.handOns++;
    flow.round++;
    start(flow, attachedThere ? Phase.DETACH : Phase.RELEASE);
  }

  /**
   * Takes the node the replacement pod was bound to as the flow's target, and says so; or fails the
   * flow when the volume cannot be attached there, and returns null.
   */
  private String bindTarget(VolumeFlow flow, ReplacementPodScheduled scheduled) {
    // A volume can only be attached to a server in its own location; never attach elsewhere,
    // and never back to the fenced server.
    if (!scheduled.location().equals(flow.volume.location())
        || scheduled.serverId() == run.serverId()) {
      String why =
          "pod "
              + scheduled.pod().name()
              + " was bound to "
              + scheduled.nodeName()
              + " (server "
              + scheduled.serverId()
              + " in "
              + scheduled.location()
              + "), but the volume is in "
              + flow.volume.location()
              + " and server "
              + run.serverId()
              + " is fenced";
      run.failed(
          Step.RESCHEDULE,
          flow.volumeId(),
          flow.attempt.number,
          SagaCodes.WRONG_LOCATION,
          why,
          true);
      fail(flow, Step.RESCHEDULE, SagaCodes.WRONG_LOCATION, why);
      return null;
    }
    flow.targetNode = scheduled.nodeName();
    flow.targetServer = scheduled.serverId();
    flow.replacementPod = scheduled.pod();
    flow.handingOn = false;
    return "pod "
        + scheduled.pod().name()
        + " bound to "
        + scheduled.nodeName()
        + " (server "
        + scheduled.serverId()
        + ")";
  }

  /** Ends a flow as failed: its volume is PARTIAL with this reason. */
  void fail(VolumeFlow flow, Step step, String code, String detail) {
    flow.phase = Phase.FAILED;
    flow.failure = new dev.lifeboat.events.saga.VolumeFailure(flow.volumeId(), step, code, detail);
    flow.attempt = null;
    flow.endedAt = run.now;
  }

  // ---- the commands
  // -------------------------------------------------------------------------------

  private Command command(
      Request request,
      VolumeFlow flow,
      String messageId,
      String commandId,
      Duration timeout,
      Instant notAfter) {
    HeldVolume volume = flow.volume;
    long volumeId = volume.volumeId();
    String incident = run.id();
    return switch (request) {
      case DETACH ->
          new DetachVolume(
              messageId,
              incident,
              run.now,
              commandId,
              volumeId,
              flow.handingOn ? flow.targetServer : run.serverId(),
              notAfter,
              run.state.kind == IncidentKind.REMOVAL && !flow.handingOn);
      case EVICT_PODS ->
          new EvictPods(
              messageId,
              incident,
              run.now,
              commandId,
              run.nodeName(),
              volume.pods(),
              false,
              timeout,
              notAfter);
      case RELEASE ->
          new DeleteVolumeAttachments(
              messageId,
              incident,
              run.now,
              commandId,
              releaseOn(flow),
              List.of(volume.persistentVolume()),
              podsToForceDelete(flow),
              notAfter);
      case AWAIT_REPLACEMENT ->
          new AwaitReplacementPod(
              messageId,
              incident,
              run.now,
              commandId,
              volumeId,
              volume.claim(),
              volume.location(),
              previousPodUid(flow),
              timeout,
              notAfter);
      case ATTACH ->
          new AttachVolume(
              messageId, incident, run.now, commandId, volumeId, flow.targetServer, notAfter);
      case AWAIT_READY ->
          new AwaitPodReady(
              messageId,
              incident,
              run.now,
              commandId,
              volumeId,
              flow.replacementPod,
              flow.targetNode,
              timeout,
              volume.persistentVolume(),
              notAfter);
      default -> throw new IllegalArgumentException(request + " is not a step of a volume");
    };
  }

  /** The node whose pods and attachment a release removes. */
  private String releaseOn(VolumeFlow flow) {
    return flow.handingOn ? flow.targetNode : run.nodeName();
  }

  /** The pod the replacement replaces: the node's, or the one bound to the lost target. */
  private static String previousPodUid(VolumeFlow flow) {
    if (flow.handingOn && flow.replacementPod != null) {
      return flow.replacementPod.uid();
    }
    return flow.volume.pods().isEmpty() ? null : flow.volume.pods().get(0).uid();
  }
}
