package dev.lifeboat.orchestrator.domain;

import dev.lifeboat.events.Command;
import dev.lifeboat.events.CommandResult;
import dev.lifeboat.events.FailureCodes;
import dev.lifeboat.events.LifeboatMessage;
import dev.lifeboat.events.MessageIds;
import dev.lifeboat.events.cluster.AwaitPodReady;
import dev.lifeboat.events.cluster.AwaitReplacementPod;
import dev.lifeboat.events.cluster.ClusterCommandFailed;
import dev.lifeboat.events.cluster.ClusterCommandSucceeded;
import dev.lifeboat.events.cluster.DeleteVolumeAttachments;
import dev.lifeboat.events.cluster.ForceDeletePods;
import dev.lifeboat.events.cluster.PodReady;
import dev.lifeboat.events.cluster.RemoveOutOfServiceTaint;
import dev.lifeboat.events.cluster.ReplacementPodScheduled;
import dev.lifeboat.events.cluster.RequeueVolumeAttachment;
import dev.lifeboat.events.cluster.TaintNodeOutOfService;
import dev.lifeboat.events.control.AbortIncident;
import dev.lifeboat.events.control.CancelIncident;
import dev.lifeboat.events.control.ControlRequest;
import dev.lifeboat.events.control.ResumeIncident;
import dev.lifeboat.events.control.RetryVolume;
import dev.lifeboat.events.hcloud.AttachVolume;
import dev.lifeboat.events.hcloud.DeleteServer;
import dev.lifeboat.events.hcloud.DetachVolume;
import dev.lifeboat.events.hcloud.HcloudCommandAlreadyDone;
import dev.lifeboat.events.hcloud.HcloudCommandDryRun;
import dev.lifeboat.events.hcloud.HcloudCommandFailed;
import dev.lifeboat.events.hcloud.HcloudCommandSucceeded;
import dev.lifeboat.events.hcloud.HcloudResult;
import dev.lifeboat.events.hcloud.PowerOffServer;
import dev.lifeboat.events.node.EligibleNode;
import dev.lifeboat.events.node.GoneReason;
import dev.lifeboat.events.node.HeldVolume;
import dev.lifeboat.events.node.NodeGone;
import dev.lifeboat.events.node.NodeReturned;
import dev.lifeboat.events.saga.IncidentCancelled;
import dev.lifeboat.events.saga.IncidentCompleted;
import dev.lifeboat.events.saga.IncidentPartial;
import dev.lifeboat.events.saga.RetryScheduled;
import dev.lifeboat.events.saga.Step;
import dev.lifeboat.events.saga.StepFailed;
import dev.lifeboat.events.saga.StepStarted;
import dev.lifeboat.events.saga.StepSucceeded;
import dev.lifeboat.events.saga.VolumeFailure;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The saga of an incident, as a pure function: {@code (state, message, now) -> (new state, messages
 * to send)}. It reads top to bottom in the order of DESIGN.md section 3:
 *
 * <pre>
 * step        command                                   on success            on final failure
 * PRE_FLIGHT  none                                      volumes with a node   volume PARTIAL (NO_ELIGIBLE_NODE)
 * FENCE       PowerOffServer | DeleteServer | none      volumes may detach    every volume PARTIAL
 * DETACH      DetachVolume (skipped if server deleted)  wait for all detaches volume PARTIAL
 * RELEASE     TaintNodeOutOfService (once), then per    await replacement     taint: go on without;
 *             volume ForceDeletePods, DeleteVolumeAttachments                 volume: PARTIAL
 * RESCHEDULE  AwaitReplacementPod                       attach there          volume PARTIAL, left detached
 * ATTACH      AttachVolume (same location only)         verify                volume PARTIAL
 * VERIFY      RequeueVolumeAttachment, AwaitPodReady    volume MOVED          volume PARTIAL
 * </pre>
 *
 * <p>Every command's id is derived from the incident, step, volume, attempt and stage, created
 * before it is sent, so a replay after a crash sends the same ids. A result counts only while its
 * command is awaited: duplicates and results of abandoned attempts change nothing. The state passed
 * in belongs to the call, which may change it and returns it as the new state.
 */
public final class IncidentSaga {

  /**
   * The saga's own failure codes, which only people and the timeline read; the codes services act
   * on are {@link FailureCodes}.
   */
  public static final String ABORTED = "ABORTED";

  public static final String FENCE_FAILED = "FENCE_FAILED";
  public static final String WRONG_LOCATION = "WRONG_LOCATION";
  public static final String ADAPTER_DRY_RUN = "ADAPTER_DRY_RUN";
  public static final String NO_SERVER = "NO_SERVER";

  /** How much longer than a waiting command's own timeout the saga waits for its report. */
  static final Duration REPORT_MARGIN = Duration.ofSeconds(10);

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
    Run run = new Run(state, now, conditions);
    run.on(message);
    run.settle();
    return run.outcome();
  }

  /** Lets time pass: fails attempts past their deadline and starts retries that are due. */
  public Outcome tick(IncidentState state, Instant now, Conditions conditions) {
    Run run = new Run(state, now, conditions);
    run.wake();
    run.settle();
    return run.outcome();
  }

  /** What a result said, for the step that awaited it. */
  private sealed interface Report {}

  private record Success(String detail, boolean serverDeleted, ReplacementPodScheduled scheduled)
      implements Report {}

  private record Failure(String code, String message, boolean retryable) implements Report {}

  /** One call of the saga: the state it works on, the time, and what it sends. */
  private final class Run {

    private IncidentState state;
    private final Instant now;
    private final Conditions conditions;
    private final List<LifeboatMessage> out = new ArrayList<>();

    Run(IncidentState state, Instant now, Conditions conditions) {
      this.state = state;
      this.now = now;
      this.conditions = conditions;
    }

    Outcome outcome() {
      return new Outcome(state, out);
    }

    void on(LifeboatMessage message) {
      if (message instanceof NodeGone gone) {
        if (state == null) {
          open(gone);
        }
        return;
      }
      if (state == null) {
        return;
      }
      if (message instanceof NodeReturned) {
        nodeReturned();
      } else if (message instanceof CommandResult result) {
        onResult(result);
      } else if (message instanceof ControlRequest request) {
        onControl(request);
      }
    }

    // ---- PRE_FLIGHT ----------------------------------------------------------------------------

    private void open(NodeGone gone) {
      state = new IncidentState();
      state.incidentId = gone.incidentId();
      state.inventory = gone;
      state.node = gone.node();
      state.reason = gone.reason();
      state.knownNodes = gone.knownNodes();
      state.status = IncidentStatus.RUNNING;
      state.openedAt = now;
      state.dryRun = policy.dryRun();
      state.fencing = policy.fencingFor(gone.nodeLabels());
      event(new StepStarted(eventId(), id(), now, Step.PRE_FLIGHT, null, 1, null));
      int movable = 0;
      for (HeldVolume volume : gone.volumes()) {
        VolumeFlow flow = new VolumeFlow(volume, Phase.AWAITING_FENCE);
        state.volumes.add(flow);
        if (volume.skipped() != null) {
          flow.phase = Phase.SKIPPED;
          flow.endedAt = now;
          succeeded(Step.PRE_FLIGHT, volume.volumeId(), 1, "skipped: " + volume.skipped());
        } else if (gone.eligibleIn(volume.location()).isEmpty()) {
          String why = "no healthy node in " + volume.location() + " can take its pod";
          event(
              new StepFailed(
                  eventId(),
                  id(),
                  now,
                  Step.PRE_FLIGHT,
                  volume.volumeId(),
                  1,
                  FailureCodes.NO_ELIGIBLE_NODE,
                  why,
                  true));
          fail(flow, Step.PRE_FLIGHT, FailureCodes.NO_ELIGIBLE_NODE, why);
        } else {
          movable++;
        }
      }
      succeeded(
          Step.PRE_FLIGHT, null, 1, movable + " of " + gone.volumes().size() + " volumes can move");
      if (movable == 0) {
        return;
      }
      if (state.dryRun) {
        dryRun(gone);
      } else {
        fenceOrHold(true);
      }
    }

    /** Starts the fence, or holds the incident for a person when a guard says so. */
    private void fenceOrHold(boolean capApplies) {
      if (state.node.serverId() == 0) {
        String why =
            "node "
                + nodeName()
                + " has no hcloud:// providerID: its server is unknown, so it cannot be fenced";
        event(new StepFailed(eventId(), id(), now, Step.FENCE, null, 1, NO_SERVER, why, true));
        for (VolumeFlow flow : state.volumes) {
          if (flow.phase == Phase.AWAITING_FENCE) {
            fail(flow, Step.FENCE, NO_SERVER, why);
          }
        }
      } else if (capApplies
          && conditions.otherIncidentsFencing() >= policy.fencingCap(state.knownNodes)) {
        hold(
            FailureCodes.FENCING_CAP,
            conditions.otherIncidentsFencing()
                + " incidents are fencing, the cap for "
                + state.knownNodes
                + " nodes is "
                + policy.fencingCap(state.knownNodes));
      } else if (state.fencing == FencePolicy.NONE && state.reason != GoneReason.SERVER_SHUTDOWN) {
        hold(
            FailureCodes.FENCE_NOT_PROVEN,
            "fencing is none and nothing shows server "
                + state.node.serverId()
                + " is off (reason "
                + state.reason
                + ")");
      } else {
        startFence();
      }
    }

    private void hold(String code, String why) {
      state.status = IncidentStatus.HELD;
      state.holdReason = code + ": " + why;
      event(
          new StepFailed(
              eventId(),
              id(),
              now,
              Step.FENCE,
              null,
              1,
              code,
              why + "; a person can resume the incident through the API",
              false));
    }

    /** Dry run: record every step as it would go, with the first eligible node as the target. */
    private void dryRun(NodeGone gone) {
      succeeded(Step.FENCE, null, 1, "dry run: would " + fenceCall());
      for (VolumeFlow flow : state.volumes) {
        if (flow.phase != Phase.AWAITING_FENCE) {
          continue;
        }
        long volumeId = flow.volumeId();
        EligibleNode target = gone.eligibleIn(flow.volume.location()).get(0);
        if (state.fencing == FencePolicy.POWEROFF) {
          succeeded(Step.DETACH, volumeId, 1, "dry run: would detach from the fenced server");
        }
        succeeded(
            Step.RELEASE, volumeId, 1, "dry run: would force-delete its pods and attachments");
        succeeded(
            Step.RESCHEDULE,
            volumeId,
            1,
            "dry run: the pod would be bound in "
                + flow.volume.location()
                + ", for example to "
                + target.name());
        succeeded(Step.ATTACH, volumeId, 1, "dry run: would attach to server " + target.serverId());
        flow.attempt = null;
      }
      cancel("dry run: no command was sent");
    }

    // ---- FENCE ---------------------------------------------------------------------------------

    private void startFence() {
      if (state.fence == null) {
        state.fence = new Attempt(Step.FENCE);
      } else {
        // Fencing again after an abort: a new attempt, so a new command id.
        state.fence.number++;
        state.fence.retryAt = null;
      }
      if (state.fencing == FencePolicy.NONE) {
        event(new StepStarted(eventId(), id(), now, Step.FENCE, null, 1, null));
        fenced("the cloud controller manager reported server " + serverId() + " shut down", false);
      } else {
        sendFence();
      }
    }

    private void sendFence() {
      String commandId = commandId(state.fence, null);
      Command command =
          state.fencing == FencePolicy.DELETE
              ? new DeleteServer(messageIdOf(commandId), id(), now, commandId, serverId())
              : new PowerOffServer(messageIdOf(commandId), id(), now, commandId, serverId());
      send(state.fence, null, command, true, policy.step(Step.FENCE).timeout());
    }

    private String fenceCall() {
      return state.fencing == FencePolicy.DELETE
          ? "delete server " + serverId()
          : "power off server " + serverId();
    }

    private void onFenceReport(Report report) {
      if (report instanceof Success success) {
        fenced(success.detail(), success.serverDeleted() || state.fencing == FencePolicy.DELETE);
      } else {
        failOrRetry(
            state.fence,
            null,
            (Failure) report,
            failure -> {
              for (VolumeFlow flow : state.volumes) {
                if (flow.phase == Phase.AWAITING_FENCE) {
                  fail(
                      flow,
                      Step.FENCE,
                      FENCE_FAILED,
                      "fence failed: " + failure.code() + ": " + failure.message());
                }
              }
            });
      }
    }

    private void fenced(String detail, boolean volumesDetached) {
      state.fenced = true;
      state.serverDeleted = volumesDetached;
      succeeded(Step.FENCE, null, state.fence.number, detail);
      state.fence.retryAt = null;
      for (VolumeFlow flow : state.volumes) {
        if (flow.phase == Phase.AWAITING_FENCE) {
          flow.phase = Phase.QUEUED;
        }
      }
    }

    // ---- DETACH, RELEASE, RESCHEDULE, ATTACH, VERIFY --------------------------------------------

    /** Starts whatever the gates now allow, until nothing more can start. */
    private void progress() {
      if (!state.fenced) {
        return;
      }
      if (!state.admitted) {
        // Admission is decided right after the fence and then only at each recheck, so that no
        // other message (a duplicate result, say) changes it.
        if (state.recheckAt != null) {
          return;
        }
        if (conditions.otherActiveFlows() >= policy.maxActiveFlows()) {
          // Too much in progress elsewhere: look again later. Once admitted, never held back.
          state.recheckAt = now.plus(policy.pauseRecheck());
          return;
        }
        state.admitted = true;
      }
      for (VolumeFlow flow : state.volumes) {
        if (flow.phase == Phase.QUEUED && freeSlot()) {
          if (state.serverDeleted) {
            event(new StepStarted(eventId(), id(), now, Step.DETACH, flow.volumeId(), 1, null));
            succeeded(
                Step.DETACH,
                flow.volumeId(),
                1,
                "server " + serverId() + " was deleted, which detached the volume");
            flow.phase = Phase.DETACHED;
          } else {
            start(flow, Phase.DETACH, Step.DETACH);
          }
        }
      }
      boolean allDetached =
          state.volumes.stream()
              .noneMatch(
                  flow ->
                      flow.phase == Phase.AWAITING_FENCE
                          || flow.phase == Phase.QUEUED
                          || flow.phase == Phase.DETACH);
      boolean anyDetached = state.volumes.stream().anyMatch(flow -> flow.phase == Phase.DETACHED);
      if (allDetached
          && anyDetached
          && state.taint != null
          && !state.taintSettled
          && state.taint.commandId == null
          && state.taint.retryAt == null) {
        // The taint was abandoned (an abort) and a retried volume needs it: a new attempt.
        state.taint.number++;
        sendTaint();
      }
      if (allDetached && anyDetached && state.taint == null) {
        // Tainting releases every pod of the node at once: only when no volume is still on the
        // server, or the replacements would meet FailedPrecondition and back off (DESIGN.md 3).
        state.taint = new Attempt(Step.RELEASE);
        sendTaint();
      }
      if (state.taintSettled) {
        for (VolumeFlow flow : state.volumes) {
          if (flow.phase == Phase.DETACHED && freeSlot()) {
            start(flow, Phase.RELEASE, Step.RELEASE);
          }
        }
      }
    }

    private boolean freeSlot() {
      return state.volumes.stream().filter(flow -> flow.phase.active()).count()
          < policy.maxParallelVolumes();
    }

    private void sendTaint() {
      String commandId = commandId(state.taint, null);
      send(
          state.taint,
          null,
          new TaintNodeOutOfService(messageIdOf(commandId), id(), now, commandId, nodeName()),
          true,
          policy.step(Step.RELEASE).timeout());
    }

    private void onTaintReport(Report report) {
      if (report instanceof Success success) {
        state.taintSettled = true;
        state.taintApplied = true;
        succeeded(Step.RELEASE, null, state.taint.number, "node tainted out-of-service");
      } else {
        // The taint is a help, not a need: per-volume force deletion releases the volumes anyway.
        failOrRetry(state.taint, null, (Failure) report, failure -> state.taintSettled = true);
      }
    }

    private void start(VolumeFlow flow, Phase phase, Step step) {
      flow.phase = phase;
      flow.attempt = new Attempt(step);
      sendVolumeCommand(flow);
    }

    private void sendVolumeCommand(VolumeFlow flow) {
      Attempt attempt = flow.attempt;
      HeldVolume volume = flow.volume;
      long volumeId = volume.volumeId();
      String commandId =
          flow.round == 0
              ? commandId(attempt, volumeId)
              : commandId(attempt, volumeId) + "-r" + flow.round;
      String messageId = messageIdOf(commandId);
      Duration timeout = policy.step(attempt.step).timeout();
      switch (flow.phase) {
        case DETACH ->
            send(
                attempt,
                volumeId,
                new DetachVolume(messageId, id(), now, commandId, volumeId, serverId()),
                true,
                timeout);
        case RELEASE -> {
          if (attempt.stage == 0 && volume.pods().isEmpty()) {
            attempt.stage = 1;
            sendVolumeCommand(flow);
          } else if (attempt.stage == 0) {
            send(
                attempt,
                volumeId,
                new ForceDeletePods(messageId, id(), now, commandId, nodeName(), volume.pods()),
                true,
                timeout);
          } else {
            send(
                attempt,
                volumeId,
                new DeleteVolumeAttachments(
                    messageId,
                    id(),
                    now,
                    commandId,
                    nodeName(),
                    List.of(volume.persistentVolume())),
                true,
                timeout);
          }
        }
        case RESCHEDULE -> {
          String previousPod = volume.pods().isEmpty() ? null : volume.pods().get(0).uid();
          send(
              attempt,
              volumeId,
              new AwaitReplacementPod(
                  messageId,
                  id(),
                  now,
                  commandId,
                  volumeId,
                  volume.claim(),
                  volume.location(),
                  previousPod,
                  timeout),
              false,
              timeout.plus(REPORT_MARGIN));
        }
        case ATTACH ->
            send(
                attempt,
                volumeId,
                new AttachVolume(messageId, id(), now, commandId, volumeId, flow.targetServer),
                true,
                timeout);
        case VERIFY -> {
          if (attempt.stage == 0) {
            send(
                attempt,
                volumeId,
                new RequeueVolumeAttachment(
                    messageId,
                    id(),
                    now,
                    commandId,
                    volumeId,
                    volume.persistentVolume(),
                    flow.targetNode),
                true,
                policy.step(Step.RELEASE).timeout());
          } else {
            send(
                attempt,
                volumeId,
                new AwaitPodReady(
                    messageId,
                    id(),
                    now,
                    commandId,
                    volumeId,
                    flow.replacementPod,
                    flow.targetNode,
                    timeout),
                false,
                timeout.plus(REPORT_MARGIN));
          }
        }
        default -> throw new IllegalStateException("no command in phase " + flow.phase);
      }
    }

    private void onVolumeReport(VolumeFlow flow, Report report) {
      Attempt attempt = flow.attempt;
      long volumeId = flow.volumeId();
      if (report instanceof Failure failure) {
        boolean final_ =
            flow.phase == Phase.RESCHEDULE && FailureCodes.NO_ELIGIBLE_NODE.equals(failure.code());
        failOrRetry(
            attempt,
            volumeId,
            final_ ? new Failure(failure.code(), failure.message(), false) : failure,
            given -> fail(flow, attempt.step, given.code(), given.message()));
        return;
      }
      Success success = (Success) report;
      switch (flow.phase) {
        case DETACH -> {
          succeeded(Step.DETACH, volumeId, attempt.number, success.detail());
          flow.phase = Phase.DETACHED;
          flow.attempt = null;
        }
        case RELEASE -> {
          if (attempt.stage == 0) {
            attempt.stage = 1;
            sendVolumeCommand(flow);
          } else {
            succeeded(Step.RELEASE, volumeId, attempt.number, "pods and attachment released");
            start(flow, Phase.RESCHEDULE, Step.RESCHEDULE);
          }
        }
        case RESCHEDULE -> onScheduled(flow, success.scheduled());
        case ATTACH -> {
          succeeded(Step.ATTACH, volumeId, attempt.number, success.detail());
          start(flow, Phase.VERIFY, Step.VERIFY);
        }
        case VERIFY -> {
          if (attempt.stage == 0) {
            attempt.stage = 1;
            sendVolumeCommand(flow);
          } else {
            succeeded(Step.VERIFY, volumeId, attempt.number, success.detail());
            flow.phase = Phase.MOVED;
            flow.attempt = null;
            flow.endedAt = now;
          }
        }
        default -> throw new IllegalStateException("no report expected in phase " + flow.phase);
      }
    }

    private void onScheduled(VolumeFlow flow, ReplacementPodScheduled scheduled) {
      long volumeId = flow.volumeId();
      int number = flow.attempt.number;
      // A volume can only be attached to a server in its own location; never attach elsewhere,
      // and never back to the fenced server.
      if (!scheduled.location().equals(flow.volume.location())
          || scheduled.serverId() == serverId()) {
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
                + serverId()
                + " is fenced";
        event(
            new StepFailed(
                eventId(),
                id(),
                now,
                Step.RESCHEDULE,
                volumeId,
                number,
                WRONG_LOCATION,
                why,
                true));
        fail(flow, Step.RESCHEDULE, WRONG_LOCATION, why);
        return;
      }
      flow.targetNode = scheduled.nodeName();
      flow.targetServer = scheduled.serverId();
      flow.replacementPod = scheduled.pod();
      succeeded(
          Step.RESCHEDULE,
          volumeId,
          number,
          "pod "
              + scheduled.pod().name()
              + " bound to "
              + scheduled.nodeName()
              + " (server "
              + scheduled.serverId()
              + ")");
      start(flow, Phase.ATTACH, Step.ATTACH);
    }

    // ---- results, deadlines, retries
    // -------------------------------------------------------------

    private void onResult(CommandResult result) {
      String commandId = result.commandId();
      if (state.fence != null && state.fence.awaiting(commandId)) {
        if (expected(state.fence, result)) {
          state.fence.clearCommand();
          onFenceReport(report(result));
        }
        return;
      }
      if (state.taint != null && state.taint.awaiting(commandId)) {
        if (expected(state.taint, result)) {
          state.taint.clearCommand();
          onTaintReport(report(result));
        }
        return;
      }
      if (state.untaint != null && state.untaint.awaiting(commandId)) {
        state.untaint.clearCommand();
        if (report(result) instanceof Success) {
          succeeded(Step.RELEASE, null, 1, "node came back: out-of-service taint removed");
        }
        return;
      }
      for (VolumeFlow flow : state.volumes) {
        if (flow.attempt != null && flow.attempt.awaiting(commandId)) {
          if (expected(flow.attempt, result)) {
            flow.attempt.clearCommand();
            onVolumeReport(flow, report(result));
          }
          return;
        }
      }
    }

    /** True when the result is of a kind the awaited command can have. */
    private boolean expected(Attempt attempt, CommandResult result) {
      String type = attempt.commandType;
      if (type.equals(AwaitReplacementPod.class.getSimpleName())) {
        return result instanceof ReplacementPodScheduled || result instanceof ClusterCommandFailed;
      }
      if (type.equals(AwaitPodReady.class.getSimpleName())) {
        return result instanceof PodReady || result instanceof ClusterCommandFailed;
      }
      if (attempt.step == Step.FENCE
          || type.equals(DetachVolume.class.getSimpleName())
          || type.equals(AttachVolume.class.getSimpleName())) {
        return result instanceof HcloudResult;
      }
      return result instanceof ClusterCommandSucceeded || result instanceof ClusterCommandFailed;
    }

    private Report report(CommandResult result) {
      if (result instanceof HcloudCommandSucceeded s) {
        return new Success("action " + s.actionId() + " finished", false, null);
      }
      if (result instanceof HcloudCommandAlreadyDone d) {
        return new Success(d.observed(), d.serverDeleted(), null);
      }
      if (result instanceof HcloudCommandDryRun d) {
        // A dry-run adapter proves nothing: going on would release pods of an unfenced node.
        return new Failure(
            ADAPTER_DRY_RUN,
            "the adapter is in dry-run mode and only would have made " + d.wouldCall(),
            false);
      }
      if (result instanceof HcloudCommandFailed f) {
        return new Failure(f.errorCode(), f.errorMessage(), f.retryable());
      }
      if (result instanceof ClusterCommandSucceeded s) {
        return new Success(s.detail() == null ? "done" : s.detail(), false, null);
      }
      if (result instanceof ReplacementPodScheduled p) {
        return new Success("scheduled", false, p);
      }
      if (result instanceof PodReady p) {
        return new Success("pod " + p.pod().name() + " is Ready on " + p.nodeName(), false, null);
      }
      ClusterCommandFailed f = (ClusterCommandFailed) result;
      return new Failure(f.code(), f.message(), f.retryable());
    }

    private void failOrRetry(
        Attempt attempt, Long volumeId, Failure failure, Consumer<Failure> giveUp) {
      StepPolicy stepPolicy = policy.step(attempt.step);
      boolean last = !failure.retryable() || attempt.number >= stepPolicy.maxAttempts();
      event(
          new StepFailed(
              eventId(),
              id(),
              now,
              attempt.step,
              volumeId,
              attempt.number,
              failure.code(),
              failure.message(),
              last));
      if (last) {
        giveUp.accept(failure);
        return;
      }
      String seed = commandId(attempt, volumeId);
      attempt.retryAt = now.plus(stepPolicy.backoff(attempt.number, seed));
      attempt.number++;
      event(
          new RetryScheduled(
              eventId(),
              id(),
              now,
              attempt.step,
              volumeId,
              attempt.number,
              attempt.retryAt,
              failure.code() + ": " + failure.message()));
    }

    void wake() {
      if (state == null) {
        return;
      }
      if (state.status.terminal()) {
        if (state.untaint != null && due(state.untaint.deadline)) {
          state.untaint.clearCommand();
        }
        return;
      }
      if (due(state.recheckAt)) {
        state.recheckAt = null; // settle() tries to start the flows again
      }
      if (state.fence != null) {
        if (due(state.fence.deadline)) {
          state.fence.clearCommand();
          onFenceReport(timeout(state.fence));
        } else if (due(state.fence.retryAt)) {
          state.fence.retryAt = null;
          sendFence();
        }
      }
      if (state.taint != null) {
        if (due(state.taint.deadline)) {
          state.taint.clearCommand();
          onTaintReport(timeout(state.taint));
        } else if (due(state.taint.retryAt)) {
          state.taint.retryAt = null;
          sendTaint();
        }
      }
      for (VolumeFlow flow : state.volumes) {
        Attempt attempt = flow.attempt;
        if (flow.phase.ended() || attempt == null) {
          continue;
        }
        if (due(attempt.deadline)) {
          Failure timeout = timeout(attempt);
          attempt.clearCommand();
          onVolumeReport(flow, timeout);
        } else if (due(attempt.retryAt)) {
          attempt.retryAt = null;
          sendVolumeCommand(flow);
        }
      }
    }

    private boolean due(Instant time) {
      return time != null && !time.isAfter(now);
    }

    private Failure timeout(Attempt attempt) {
      return new Failure(
          FailureCodes.TIMEOUT,
          "no result for " + attempt.commandType + " " + attempt.commandId + " by its deadline",
          true);
    }

    // ---- node returned, control requests --------------------------------------------------------

    private void nodeReturned() {
      state.nodeReturned = true;
      if (!state.status.terminal() && !state.mutatingSent) {
        cancel("node " + nodeName() + " came back before it was fenced");
      }
    }

    private void onControl(ControlRequest request) {
      String who = request.requestedBy();
      if (request instanceof ResumeIncident) {
        resume(who);
      } else if (request instanceof CancelIncident cancel) {
        if (!state.status.terminal() && !state.mutatingSent) {
          cancel("cancelled by " + who + reasonSuffix(cancel.reason()));
        }
      } else if (request instanceof AbortIncident abort) {
        abort("aborted by " + who + reasonSuffix(abort.reason()));
      } else if (request instanceof RetryVolume retry) {
        retry(retry.volumeId());
      }
      // Pause and resume of all commands are the host's, given to the saga as Conditions.
    }

    private void resume(String who) {
      if (state.status != IncidentStatus.HELD) {
        return;
      }
      state.status = IncidentStatus.RUNNING;
      state.holdReason = null;
      if (state.fencing == FencePolicy.NONE) {
        state.fence = new Attempt(Step.FENCE);
        event(new StepStarted(eventId(), id(), now, Step.FENCE, null, 1, null));
        fenced("fence vouched for by " + who, false);
      } else {
        startFence();
      }
    }

    private void abort(String why) {
      if (state.status.terminal()) {
        return;
      }
      if (!state.mutatingSent) {
        cancel(why);
        return;
      }
      state.fence = idle(state.fence);
      state.taint = idle(state.taint);
      for (VolumeFlow flow : state.volumes) {
        if (!flow.phase.ended()) {
          Step step = flow.attempt == null ? stepAfter(flow.phase) : flow.attempt.step;
          int number = flow.attempt == null ? 1 : flow.attempt.number;
          event(
              new StepFailed(
                  eventId(), id(), now, step, flow.volumeId(), number, ABORTED, why, true));
          fail(flow, step, ABORTED, why);
        }
      }
    }

    /** The step a flow waiting between steps would take next. */
    private Step stepAfter(Phase phase) {
      return switch (phase) {
        case QUEUED -> Step.DETACH;
        case DETACHED -> Step.RELEASE;
        default -> Step.FENCE;
      };
    }

    private Attempt idle(Attempt attempt) {
      if (attempt != null) {
        attempt.clearCommand();
        attempt.retryAt = null;
      }
      return attempt;
    }

    private void retry(long volumeId) {
      if (state.status == IncidentStatus.CANCELLED || state.status == IncidentStatus.HELD) {
        return;
      }
      VolumeFlow flow = state.volume(volumeId).orElse(null);
      if (flow == null || flow.phase != Phase.FAILED) {
        return;
      }
      Step step = flow.failure.step();
      flow.failure = null;
      flow.round++; // fresh command ids: the first round's may still be answered late
      flow.endedAt = null;
      state.status = IncidentStatus.RUNNING;
      state.endedAt = null;
      switch (step) {
        case PRE_FLIGHT, FENCE -> {
          flow.phase = state.fenced ? Phase.QUEUED : Phase.AWAITING_FENCE;
          if (!state.fenced && (state.fence == null || state.fence.commandId == null)) {
            // A person asked for this volume, not for more fencing at once: the cap is theirs to
            // judge, the proof of the fence is not.
            fenceOrHold(false);
          }
        }
        case DETACH -> flow.phase = Phase.QUEUED;
        case RELEASE -> flow.phase = Phase.DETACHED;
        case ATTACH ->
            start(
                flow,
                flow.targetServer > 0 ? Phase.ATTACH : Phase.RESCHEDULE,
                flow.targetServer > 0 ? Step.ATTACH : Step.RESCHEDULE);
        case VERIFY -> start(flow, Phase.VERIFY, Step.VERIFY);
        default -> start(flow, Phase.RESCHEDULE, Step.RESCHEDULE);
      }
    }

    private String reasonSuffix(String reason) {
      return reason == null || reason.isBlank() ? "" : ": " + reason;
    }

    // ---- ending ---------------------------------------------------------------------------------

    void settle() {
      if (state == null) {
        return;
      }
      if (state.status == IncidentStatus.RUNNING) {
        progress();
        if (state.volumes.stream().allMatch(flow -> flow.phase.ended())) {
          end();
        }
      }
      if (state.status.terminal()
          && state.nodeReturned
          && state.taintApplied
          && state.untaint == null) {
        state.untaint = new Attempt(Step.RELEASE);
        String commandId = commandId(state.untaint, null);
        send(
            state.untaint,
            null,
            new RemoveOutOfServiceTaint(messageIdOf(commandId), id(), now, commandId, nodeName()),
            true,
            policy.step(Step.RELEASE).timeout());
      }
    }

    private void end() {
      idle(state.fence);
      idle(state.taint);
      List<Long> moved =
          state.volumes.stream()
              .filter(flow -> flow.phase == Phase.MOVED)
              .map(VolumeFlow::volumeId)
              .toList();
      List<VolumeFailure> failures =
          state.volumes.stream()
              .filter(flow -> flow.phase == Phase.FAILED)
              .map(flow -> flow.failure)
              .toList();
      state.endedAt = now;
      if (failures.isEmpty()) {
        state.status = IncidentStatus.COMPLETED;
        event(new IncidentCompleted(eventId(), id(), now, moved));
      } else {
        state.status = IncidentStatus.PARTIAL;
        event(new IncidentPartial(eventId(), id(), now, moved, failures));
      }
    }

    private void cancel(String why) {
      idle(state.fence);
      idle(state.taint);
      for (VolumeFlow flow : state.volumes) {
        if (!flow.phase.ended()) {
          flow.attempt = null;
        }
      }
      state.status = IncidentStatus.CANCELLED;
      state.holdReason = null;
      state.endedAt = now;
      event(new IncidentCancelled(eventId(), id(), now, why));
    }

    private void fail(VolumeFlow flow, Step step, String code, String detail) {
      flow.phase = Phase.FAILED;
      flow.failure = new VolumeFailure(flow.volumeId(), step, code, detail);
      flow.attempt = null;
      flow.endedAt = now;
    }

    // ---- sending --------------------------------------------------------------------------------

    /**
     * Sends a command for an attempt, or, while mutating commands are paused, looks again later.
     */
    private void send(
        Attempt attempt, Long volumeId, Command command, boolean mutating, Duration deadlineIn) {
      if (mutating && conditions.commandsPaused()) {
        attempt.clearCommand();
        attempt.retryAt = now.plus(policy.pauseRecheck());
        return;
      }
      attempt.commandId = command.commandId();
      attempt.commandType = command.getClass().getSimpleName();
      attempt.deadline = now.plus(deadlineIn);
      attempt.retryAt = null;
      if (attempt.announced != attempt.number && attempt != state.untaint) {
        attempt.announced = attempt.number;
        event(
            new StepStarted(
                eventId(), id(), now, attempt.step, volumeId, attempt.number, command.commandId()));
      }
      state.mutatingSent |= mutating;
      out.add(command);
    }

    private void succeeded(Step step, Long volumeId, int attempt, String detail) {
      event(new StepSucceeded(eventId(), id(), now, step, volumeId, attempt, detail));
    }

    private void event(LifeboatMessage event) {
      out.add(event);
    }

    private String eventId() {
      state.sequence++;
      return MessageIds.derived(state.incidentId, "saga-event", Long.toString(state.sequence));
    }

    private String commandId(Attempt attempt, Long volumeId) {
      return MessageIds.derived(
          state.incidentId,
          attempt == state.untaint ? "UNTAINT" : attempt.step.name(),
          volumeId == null ? "-" : volumeId.toString(),
          Integer.toString(attempt.number),
          Integer.toString(attempt.stage));
    }

    private String messageIdOf(String commandId) {
      return MessageIds.derived(commandId, "message");
    }

    private String id() {
      return state.incidentId;
    }

    private long serverId() {
      return state.node.serverId();
    }

    private String nodeName() {
      return state.node.name();
    }
  }
}
