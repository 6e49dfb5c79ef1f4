package dev.lifeboat.orchestrator.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.events.Command;
import dev.lifeboat.events.FailureCodes;
import dev.lifeboat.events.IncidentId;
import dev.lifeboat.events.LifeboatMessage;
import dev.lifeboat.events.MessageIds;
import dev.lifeboat.events.cluster.AwaitPodReady;
import dev.lifeboat.events.cluster.AwaitReplacementPod;
import dev.lifeboat.events.cluster.ClusterCommandFailed;
import dev.lifeboat.events.cluster.ClusterCommandSucceeded;
import dev.lifeboat.events.cluster.CordonNode;
import dev.lifeboat.events.cluster.DeleteVolumeAttachments;
import dev.lifeboat.events.cluster.PodReady;
import dev.lifeboat.events.cluster.RemoveOutOfServiceTaint;
import dev.lifeboat.events.cluster.ReplacementPodScheduled;
import dev.lifeboat.events.cluster.TaintNodeOutOfService;
import dev.lifeboat.events.control.CancelIncident;
import dev.lifeboat.events.control.ResumeIncident;
import dev.lifeboat.events.control.RetryVolume;
import dev.lifeboat.events.hcloud.AttachVolume;
import dev.lifeboat.events.hcloud.DeleteServer;
import dev.lifeboat.events.hcloud.DetachVolume;
import dev.lifeboat.events.hcloud.HcloudCommandAlreadyDone;
import dev.lifeboat.events.hcloud.HcloudCommandFailed;
import dev.lifeboat.events.hcloud.HcloudCommandSucceeded;
import dev.lifeboat.events.hcloud.PowerOffServer;
import dev.lifeboat.events.node.ClaimRef;
import dev.lifeboat.events.node.EligibleNode;
import dev.lifeboat.events.node.GoneReason;
import dev.lifeboat.events.node.HeldVolume;
import dev.lifeboat.events.node.NodeGone;
import dev.lifeboat.events.node.NodeRef;
import dev.lifeboat.events.node.NodeReturned;
import dev.lifeboat.events.node.PodRef;
import dev.lifeboat.events.permit.FencePermitRequested;
import dev.lifeboat.events.permit.FlowSlotsGranted;
import dev.lifeboat.events.permit.FlowSlotsRefused;
import dev.lifeboat.events.permit.FlowSlotsRequested;
import dev.lifeboat.events.permit.FlowSlotsReturned;
import dev.lifeboat.events.permit.PermitMessage;
import dev.lifeboat.events.saga.IncidentCancelled;
import dev.lifeboat.events.saga.IncidentCompleted;
import dev.lifeboat.events.saga.IncidentHeld;
import dev.lifeboat.events.saga.IncidentStatus;
import dev.lifeboat.events.saga.RequestRefused;
import dev.lifeboat.events.saga.RetryScheduled;
import dev.lifeboat.events.saga.Step;
import dev.lifeboat.events.saga.StepSucceeded;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The saga given messages, without a broker: which commands it sends, in which order. */
class IncidentSagaTest {

  private static final Instant T0 = Instant.parse("2026-11-26T03:00:00Z");
  private static final NodeRef NODE = new NodeRef("worker-2", "uid-2", 4202, "fsn1");
  private static final String INCIDENT = IncidentId.forNode(NODE.name(), NODE.uid());
  private static final EligibleNode WORKER_3 = new EligibleNode("worker-3", 4203, "fsn1");
  private static final EligibleNode WORKER_4 = new EligibleNode("worker-4", 4204, "fsn1");

  private final List<LifeboatMessage> sent = new ArrayList<>();
  private IncidentSaga saga = new IncidentSaga(SagaPolicy.defaults());
  private IncidentState state;
  private Instant now = T0;
  private Conditions conditions = Conditions.CALM;
  private final PermitDesk permits = new PermitDesk();
  private final List<PermitMessage> answers = new ArrayList<>();

  @Test
  void oneVolumeMovesThroughEveryStepInOrder() {
    receive(gone(GoneReason.LEASE_EXPIRED, Map.of(), volume(100001)));

    PowerOffServer fence = last(PowerOffServer.class);
    assertThat(fence.serverId()).isEqualTo(4202);
    // A not_found for 4202 proves its deletion only while the cluster's other servers read.
    assertThat(fence.witnessServerIds()).containsExactly(4203L);
    assertThat(fence.notAfter())
        .as("the adapter drops the fence once the saga stopped waiting for it")
        .isEqualTo(now.plus(SagaPolicy.defaults().step(Step.FENCE).timeout()));
    receive(hcloudDone(fence));
    CordonNode cordon = last(CordonNode.class);
    assertThat(cordon.unschedulable()).isTrue();
    receive(clusterDone(cordon));
    DetachVolume detach = last(DetachVolume.class);
    assertThat(detach.expectedServerId()).isEqualTo(4202);
    assertThat(detach.notAfter()).isAfter(now);
    receive(hcloudDone(detach));
    receive(clusterDone(last(TaintNodeOutOfService.class)));
    receive(clusterDone(last(DeleteVolumeAttachments.class)));
    AwaitReplacementPod await = last(AwaitReplacementPod.class);
    assertThat(await.location()).isEqualTo("fsn1");
    receive(scheduled(await, WORKER_3));
    AttachVolume attach = last(AttachVolume.class);
    assertThat(attach.serverId()).isEqualTo(4203);
    finishVerify(attach);

    assertThat(commandTypes())
        .containsExactly(
            "PowerOffServer",
            "CordonNode",
            "DetachVolume",
            "TaintNodeOutOfService",
            "DeleteVolumeAttachments",
            "AwaitReplacementPod",
            "AttachVolume",
            "AwaitPodReady");
    assertThat(last(DeleteVolumeAttachments.class).forceDeleteFirst())
        .as("the pod goes in the same command as its attachment, before it")
        .extracting(PodRef::uid)
        .containsExactly("uid-100001");
    assertThat(last(AwaitPodReady.class).requeueFirst())
        .as("the new attachment is touched in the same command as the wait")
        .isEqualTo("pv-100001");
    assertThat(detach.commandId())
        .as("ids derived as every earlier version did, a step's one command at place 0")
        .isEqualTo(MessageIds.derived(INCIDENT, "DETACH", "100001", "1", "0"));
    assertThat(last(DeleteVolumeAttachments.class).commandId())
        .isEqualTo(MessageIds.derived(INCIDENT, "RELEASE", "100001", "1", "0"));
    assertThat(state.status()).isEqualTo(IncidentStatus.COMPLETED);
    assertThat(last(IncidentCompleted.class).movedVolumes()).containsExactly(100001L);
    // Every command carries the moment the saga stops waiting for it, its attempt's deadline.
    assertThat(sent.stream().filter(Command.class::isInstance).map(Command.class::cast))
        .allSatisfy(
            command ->
                assertThat(command.notAfter())
                    .as(command.toString())
                    .isAfter(command.occurredAt()));
    assertThat(last(AwaitPodReady.class).notAfter())
        .isEqualTo(
            last(AwaitPodReady.class)
                .occurredAt()
                .plus(last(AwaitPodReady.class).timeout())
                .plus(Run.REPORT_MARGIN));
  }

  @Test
  void aVolumesPodIsReleasedOnceItsVolumeIsOffTheServerWhileTheNextStillDetaches() {
    receive(gone(GoneReason.LEASE_EXPIRED, Map.of(), volume(100001), volume(100002)));
    receive(hcloudDone(last(PowerOffServer.class)));
    receive(clusterDone(last(CordonNode.class)));
    List<DetachVolume> detaches = sentOf(DetachVolume.class);

    receive(hcloudDone(detaches.get(0)));

    // The cordon keeps the scheduler off the node: the first pod goes now, not after the last
    // detach; the node-wide taint waits until nothing is left on the server.
    assertThat(last(DeleteVolumeAttachments.class).forceDeleteFirst())
        .extracting(PodRef::uid)
        .containsExactly("uid-100001");
    assertThat(commandTypes()).doesNotContain("TaintNodeOutOfService");
    receive(clusterDone(last(DeleteVolumeAttachments.class)));
    receive(scheduled(last(AwaitReplacementPod.class), WORKER_3));
    assertThat(last(AttachVolume.class).volumeId()).isEqualTo(100001);
    assertThat(state.volume(100002).orElseThrow().phase()).isEqualTo(Phase.DETACH);

    receive(hcloudDone(detaches.get(1)));
    assertThat(commandTypes()).containsOnlyOnce("TaintNodeOutOfService");
    assertThat(last(DeleteVolumeAttachments.class).forceDeleteFirst())
        .extracting(PodRef::uid)
        .containsExactly("uid-100002");
  }

  @Test
  void withoutTheCordonPodsWaitUntilNothingIsLeftOnTheServerAndTheTaint() {
    receive(gone(GoneReason.LEASE_EXPIRED, Map.of(), volume(100001), volume(100002)));
    receive(hcloudDone(last(PowerOffServer.class)));
    receive(
        new ClusterCommandFailed(
            id(),
            INCIDENT,
            now,
            last(CordonNode.class).commandId(),
            "FORBIDDEN",
            "nodes is forbidden",
            false));
    List<DetachVolume> detaches = sentOf(DetachVolume.class);

    receive(hcloudDone(detaches.get(0)));
    assertThat(commandTypes()).doesNotContain("DeleteVolumeAttachments", "TaintNodeOutOfService");

    receive(hcloudDone(detaches.get(1)));
    receive(clusterDone(last(TaintNodeOutOfService.class)));
    assertThat(sentOf(DeleteVolumeAttachments.class)).hasSize(2);
    assertThat(state.cordonStatus()).isEqualTo(TaintStatus.GIVEN_UP);
  }

  @Test
  void aNodeBackAfterTheEndIsUncordonedOnlyWhenThisIncidentCordonedIt() {
    for (boolean cordonedBefore : List.of(false, true)) {
      sent.clear();
      state = null;
      receive(gone(GoneReason.LEASE_EXPIRED, Map.of(), volume(100001)));
      receive(hcloudDone(last(PowerOffServer.class)));
      receive(
          new ClusterCommandSucceeded(
              id(), INCIDENT, now, last(CordonNode.class).commandId(), cordonedBefore, "done"));
      receive(hcloudDone(last(DetachVolume.class)));
      receive(clusterDone(last(TaintNodeOutOfService.class)));
      receive(clusterDone(last(DeleteVolumeAttachments.class)));
      receive(scheduled(last(AwaitReplacementPod.class), WORKER_3));
      finishVerify(last(AttachVolume.class));
      assertThat(state.status()).isEqualTo(IncidentStatus.COMPLETED);

      receive(new NodeReturned(id(), INCIDENT, now, NODE));

      List<CordonNode> uncordons =
          sentOf(CordonNode.class).stream().filter(c -> !c.unschedulable()).toList();
      if (cordonedBefore) {
        assertThat(uncordons).as("a person had cordoned it: it stays cordoned").isEmpty();
      } else {
        assertThat(uncordons)
            .singleElement()
            .extracting(CordonNode::nodeName)
            .isEqualTo("worker-2");
        assertThat(uncordons.get(0).commandId())
            .isNotEqualTo(last(RemoveOutOfServiceTaint.class).commandId());
      }
    }
  }

  @Test
  void anAttachRefusedBecauseTheTargetStoppedRunningIsHandedOnToANewReplacementPod() {
    AttachVolume attach = movedUpToTheAttachOnWorker3();
    // worker-3 was lost after its pod was bound there: its server is off.
    receive(targetNotRunning(attach));

    // The replacement pod stuck on the lost worker-3 is released there, and a new one awaited.
    DeleteVolumeAttachments release = last(DeleteVolumeAttachments.class);
    assertThat(release.nodeName()).isEqualTo("worker-3");
    assertThat(release.forceDeleteFirst()).extracting(PodRef::uid).containsExactly("uid-new");
    receive(clusterDone(release));
    AwaitReplacementPod again = last(AwaitReplacementPod.class);
    assertThat(again.previousPodUid()).isEqualTo("uid-new");
    receive(scheduledAs(again, WORKER_4, "uid-newer"));
    assertThat(last(AttachVolume.class).serverId()).isEqualTo(4204);
    finishVerify(last(AttachVolume.class));

    assertThat(state.status()).isEqualTo(IncidentStatus.COMPLETED);
    assertThat(state.volume(100001).orElseThrow().targetServer()).isEqualTo(4204);
    assertThat(commandTypes().stream().filter("DetachVolume"::equals))
        .as("nothing to detach: the refused attach never happened")
        .hasSize(1);
  }

  @Test
  void aVolumeWhoseTargetWasLostAfterTheAttachIsDetachedThereOnceItsServerIsOffAndMovedOn() {
    AttachVolume attach = movedUpToTheAttachOnWorker3();
    receive(hcloudDone(attach));
    AwaitPodReady ready = last(AwaitPodReady.class);
    // worker-3 is declared lost while the pod waits there: the volume is on its server.
    receive(
        new ClusterCommandFailed(
            id(),
            INCIDENT,
            now,
            ready.commandId(),
            FailureCodes.TARGET_LOST,
            "node worker-3 was declared lost",
            false));

    DetachVolume fromTarget = last(DetachVolume.class);
    assertThat(fromTarget.expectedServerId()).isEqualTo(4203);
    // Its own incident has not fenced it yet: the adapter refuses; the detach waits, nothing held.
    receive(
        new HcloudCommandFailed(
            id(),
            INCIDENT,
            now,
            fromTarget.commandId(),
            FailureCodes.SERVER_RUNNING,
            "server 4203 is running",
            false,
            null));
    assertThat(state.status()).isEqualTo(IncidentStatus.RUNNING);
    assertThat(sent.stream().filter(m -> m instanceof IncidentHeld)).isEmpty();
    tick(now.plus(Duration.ofMinutes(1)));
    DetachVolume again = last(DetachVolume.class);
    assertThat(again.commandId()).isNotEqualTo(fromTarget.commandId());
    assertThat(again.expectedServerId()).isEqualTo(4203);
    receive(hcloudDone(again));

    assertThat(last(DeleteVolumeAttachments.class).nodeName()).isEqualTo("worker-3");
    receive(clusterDone(last(DeleteVolumeAttachments.class)));
    receive(scheduledAs(last(AwaitReplacementPod.class), WORKER_4, "uid-newer"));
    finishVerify(last(AttachVolume.class));

    assertThat(state.status()).isEqualTo(IncidentStatus.COMPLETED);
    assertThat(last(AttachVolume.class).serverId()).isEqualTo(4204);
    assertThat(sent.stream().filter(m -> m instanceof PowerOffServer))
        .as("the target's fence is its own incident's")
        .hasSize(1);
  }

  @Test
  void aPersonsRetryOfAVolumeWhoseTargetsStoppedRunningReleasesThePodStuckThere() {
    AttachVolume attach = movedUpToTheAttachOnWorker3();
    for (int handOn = 0; handOn <= VolumeSteps.MAX_HAND_ONS; handOn++) {
      receive(targetNotRunning(attach));
      if (handOn < VolumeSteps.MAX_HAND_ONS) {
        receive(clusterDone(last(DeleteVolumeAttachments.class)));
        receive(scheduledAs(last(AwaitReplacementPod.class), WORKER_4, "uid-" + handOn));
        attach = last(AttachVolume.class);
      }
    }
    assertThat(state.status()).isEqualTo(IncidentStatus.PARTIAL);
    long releases = sent.stream().filter(m -> m instanceof DeleteVolumeAttachments).count();

    receive(new RetryVolume(id(), INCIDENT, now, "oncall", 100001, "node replaced"));

    assertThat(sent.stream().filter(m -> m instanceof DeleteVolumeAttachments))
        .hasSize((int) releases + 1);
    assertThat(last(DeleteVolumeAttachments.class).nodeName()).isEqualTo("worker-4");
    assertThat(last(DeleteVolumeAttachments.class).forceDeleteFirst())
        .extracting(PodRef::uid)
        .containsExactly("uid-" + (VolumeSteps.MAX_HAND_ONS - 1));
  }

  private HcloudCommandFailed targetNotRunning(AttachVolume attach) {
    return new HcloudCommandFailed(
        id(),
        INCIDENT,
        now,
        attach.commandId(),
        FailureCodes.TARGET_NOT_RUNNING,
        "server " + attach.serverId() + " is off",
        false,
        null);
  }

  @Test
  void aDryRunLossIsHandledLiveOnlyWhileTheNodeIsStillLostAndOnlyOnce() {
    SagaPolicy live = SagaPolicy.defaults();
    IncidentSaga dry = new IncidentSaga(live.inDryRun());
    IncidentState stillLost =
        dry.apply(
                null,
                gone(GoneReason.LEASE_EXPIRED, Map.of(), volume(100001)),
                now,
                Conditions.CALM)
            .state();
    IncidentState back =
        dry.apply(
                dry.apply(
                        null,
                        gone(GoneReason.LEASE_EXPIRED, Map.of(), volume(100001)),
                        now,
                        Conditions.CALM)
                    .state(),
                new NodeReturned(id(), INCIDENT, now, NODE),
                now,
                Conditions.CALM)
            .state();

    assertThat(dry.handlesLive(stillLost)).as("the saga itself runs dry").isFalse();
    assertThat(saga.handlesLive(back)).as("the node came back: nothing to handle").isFalse();
    assertThat(saga.handlesLive(stillLost)).isTrue();
    Outcome opened = saga.goLive(stillLost, now, Conditions.CALM);
    assertThat(opened.messages()).anyMatch(m -> m instanceof FencePermitRequested);
    assertThat(saga.handlesLive(opened.state())).as("once").isFalse();
    assertThat(saga.goLive(opened.state(), now, Conditions.CALM).messages()).isEmpty();
  }

  private AttachVolume movedUpToTheAttachOnWorker3() {
    receive(gone(GoneReason.LEASE_EXPIRED, Map.of(), volume(100001)));
    receive(hcloudDone(last(PowerOffServer.class)));
    receive(hcloudDone(last(DetachVolume.class)));
    receive(clusterDone(last(TaintNodeOutOfService.class)));
    receive(clusterDone(last(DeleteVolumeAttachments.class)));
    receive(scheduled(last(AwaitReplacementPod.class), WORKER_3));
    return last(AttachVolume.class);
  }

  private void finishVerify(AttachVolume attach) {
    receive(hcloudDone(attach));
    AwaitPodReady ready = last(AwaitPodReady.class);
    receive(
        new PodReady(
            id(), INCIDENT, now, ready.commandId(), 100001, ready.pod(), ready.nodeName()));
  }

  @Test
  void theNodeIsNotTaintedWhileAVolumeThatDoesNotMoveStaysOnTheServer() {
    HeldVolume optedOut =
        new HeldVolume(
            100002,
            "pv-100002",
            new ClaimRef("shop", "data-100002"),
            "fsn1",
            List.of(new PodRef("shop", "cache-0", "uid-cache-0", "StatefulSet", "cache")),
            "lifeboat.dev/failover: disabled");
    receive(gone(GoneReason.LEASE_EXPIRED, Map.of(), volume(100001), optedOut));
    receive(hcloudDone(last(PowerOffServer.class)));
    receive(hcloudDone(last(DetachVolume.class)));

    // The taint would have the attach-detach controller force-detach the opted-out volume.
    assertThat(commandTypes())
        .doesNotContain("TaintNodeOutOfService")
        .endsWith("DeleteVolumeAttachments");
    assertThat(last(DeleteVolumeAttachments.class).forceDeleteFirst())
        .extracting(PodRef::name)
        .containsExactly("db-100001");
    assertThat(state.taintStatus()).isEqualTo(TaintStatus.NOT_APPLIED);
    assertThat(
            sent.stream()
                .filter(m -> m instanceof StepSucceeded s && s.step().name().equals("RELEASE"))
                .map(m -> ((StepSucceeded) m).detail()))
        .singleElement()
        .asString()
        .contains("not tainted", "[100002]");
  }

  @Test
  void aNodeBackWhileItsPowerOffIsOnItsWayIsNeverFencedAgainNorReleased() {
    receive(gone(GoneReason.LEASE_EXPIRED, Map.of(), volume(100001)));
    PowerOffServer fence = last(PowerOffServer.class);

    receive(new NodeReturned(id(), INCIDENT, now, NODE));

    assertThat(state.status()).isEqualTo(IncidentStatus.CANCELLED);
    assertThat(last(IncidentCancelled.class).reason()).contains("may still take effect");
    // The power off was on its way and took effect: the incident says so, and does nothing else.
    receive(hcloudDone(fence));
    tick(T0.plus(Duration.ofHours(1)));
    assertThat(commandTypes()).containsExactly("PowerOffServer");
    assertThat(last(StepSucceeded.class).detail()).contains("took effect", "lost again");
  }

  @Test
  void aFenceFailingAfterTheNodeCameBackIsNotTriedAgain() {
    receive(gone(GoneReason.LEASE_EXPIRED, Map.of(), volume(100001)));
    PowerOffServer fence = last(PowerOffServer.class);
    receive(new NodeReturned(id(), INCIDENT, now, NODE));

    receive(
        new HcloudCommandFailed(
            id(), INCIDENT, now, fence.commandId(), "locked", "server is locked", true, null));
    tick(T0.plus(Duration.ofHours(1)));

    assertThat(commandTypes()).containsExactly("PowerOffServer");
    assertThat(sent).noneMatch(m -> m instanceof RetryScheduled);
  }

  @Test
  void aRetriedVolumeNeitherFencesANodeThatCameBackNorPassesTheFencingCap() {
    receive(gone(GoneReason.LEASE_EXPIRED, Map.of(), volume(100001)));
    PowerOffServer fence = last(PowerOffServer.class);
    receive(
        new HcloudCommandFailed(
            id(), INCIDENT, now, fence.commandId(), "invalid_input", "refused", false, null));
    assertThat(state.status()).isEqualTo(IncidentStatus.PARTIAL);

    // Ten other incidents are fencing: the cap holds a person's retry too, for a person to judge.
    othersFencing(10);
    receive(new RetryVolume(id(), INCIDENT, now, "oncall", 100001, "again"));
    assertThat(state.status()).isEqualTo(IncidentStatus.HELD);
    assertThat(commandTypes()).containsExactly("PowerOffServer");

    receive(new CancelIncident(id(), INCIDENT, now, "oncall", "no"));
    receive(new NodeReturned(id(), INCIDENT, now, NODE));
    othersFencing(0);
    receive(new RetryVolume(id(), INCIDENT, now, "oncall", 100001, "again"));
    assertThat(commandTypes()).containsExactly("PowerOffServer");
  }

  @Test
  void aRetryAfterTheNodeCameBackUnfencedIsRefusedWithTheReason() {
    receive(gone(GoneReason.LEASE_EXPIRED, Map.of(), volume(100001)));
    PowerOffServer fence = last(PowerOffServer.class);
    receive(
        new HcloudCommandFailed(
            id(), INCIDENT, now, fence.commandId(), "invalid_input", "refused", false, null));
    receive(new NodeReturned(id(), INCIDENT, now, NODE));

    receive(new RetryVolume(id(), INCIDENT, now, "oncall", 100001, "again"));

    assertThat(commandTypes()).containsExactly("PowerOffServer");
    assertThat(last(RequestRefused.class).reason()).contains("came back before its fence");
  }

  @Test
  void aServerPoweredOnDuringTheIncidentHoldsEveryVolumeNotYetDetachedForAPerson() {
    receive(gone(GoneReason.LEASE_EXPIRED, Map.of(), volume(100001), volume(100002)));
    receive(hcloudDone(last(PowerOffServer.class)));
    List<DetachVolume> detaches =
        sent.stream().filter(m -> m instanceof DetachVolume).map(m -> (DetachVolume) m).toList();
    assertThat(detaches).hasSize(2);

    // A person powered the server on: the adapter refuses to detach from a running server.
    for (DetachVolume detach : detaches) {
      receive(
          new HcloudCommandFailed(
              id(),
              INCIDENT,
              now,
              detach.commandId(),
              "server_running",
              "server 4202 is running: its fence no longer holds",
              false,
              null));
    }

    assertThat(state.status()).isEqualTo(IncidentStatus.HELD);
    assertThat(last(IncidentHeld.class).code()).isEqualTo("FENCE_LOST");
    assertThat(state.volumes()).extracting(VolumeFlow::phase).containsOnly(Phase.HELD);
    tick(T0.plus(Duration.ofHours(1)));
    assertThat(commandTypes())
        .as("never fenced again against the person's action, never detached from it")
        .containsExactly("PowerOffServer", "CordonNode", "DetachVolume", "DetachVolume");

    // The person fences it again: the held volumes move, with requests of their own.
    receive(new ResumeIncident(id(), INCIDENT, now, "oncall", "powered on by mistake"));
    receive(hcloudDone(last(PowerOffServer.class)));
    List<DetachVolume> again =
        sent.stream()
            .filter(m -> m instanceof DetachVolume)
            .map(m -> (DetachVolume) m)
            .skip(2)
            .toList();
    assertThat(again).hasSize(2);
    assertThat(again)
        .extracting(DetachVolume::commandId)
        .doesNotContainAnyElementsOf(detaches.stream().map(DetachVolume::commandId).toList());
  }

  @Test
  void aDetachOnItsWayWhenTheFenceWasLostIsHeldAndNeverSentAgain() {
    receive(gone(GoneReason.LEASE_EXPIRED, Map.of(), volume(100001), volume(100002)));
    receive(hcloudDone(last(PowerOffServer.class)));
    List<DetachVolume> detaches =
        sent.stream().filter(m -> m instanceof DetachVolume).map(m -> (DetachVolume) m).toList();
    receive(serverRunning(detaches.get(0)));

    // The other detach's answer is lost: its deadline passes while the server runs again.
    tick(T0.plus(Duration.ofMinutes(10)));
    tick(T0.plus(Duration.ofMinutes(20)));

    assertThat(commandTypes())
        .as("no detach is tried again against the running server (the unanswered cordon is)")
        .containsExactly(
            "PowerOffServer", "CordonNode", "DetachVolume", "DetachVolume", "CordonNode");
    assertThat(state.status()).isEqualTo(IncidentStatus.HELD);
    assertThat(state.volumes()).extracting(VolumeFlow::phase).containsOnly(Phase.HELD);
  }

  @Test
  void aLateServerRunningAnswerWhileThePersonsNewFenceIsUnderWayWaitsForThatFence() {
    receive(gone(GoneReason.LEASE_EXPIRED, Map.of(), volume(100001), volume(100002)));
    receive(hcloudDone(last(PowerOffServer.class)));
    List<DetachVolume> detaches =
        sent.stream().filter(m -> m instanceof DetachVolume).map(m -> (DetachVolume) m).toList();
    receive(serverRunning(detaches.get(0)));
    receive(new ResumeIncident(id(), INCIDENT, now, "oncall", "fence it again"));
    PowerOffServer again = last(PowerOffServer.class);

    // The other detach's refusal was on its way: old news about the fence being fenced again.
    receive(serverRunning(detaches.get(1)));

    assertThat(state.status()).isEqualTo(IncidentStatus.RUNNING);
    assertThat(sent.stream().filter(m -> m instanceof IncidentHeld)).hasSize(1);
    receive(hcloudDone(again));
    assertThat(sent.stream().filter(m -> m instanceof DetachVolume))
        .as("both volumes detach after the new fence")
        .hasSize(4);
  }

  private HcloudCommandFailed serverRunning(DetachVolume detach) {
    return new HcloudCommandFailed(
        id(),
        INCIDENT,
        now,
        detach.commandId(),
        "server_running",
        "server 4202 is running",
        false,
        null);
  }

  @Test
  void aFenceLostAfterARetryOfAnEndedIncidentIsFencedAgainWhenAPersonResumes() {
    receive(gone(GoneReason.LEASE_EXPIRED, Map.of(), volume(100001)));
    receive(hcloudDone(last(PowerOffServer.class)));
    receive(
        new HcloudCommandFailed(
            id(),
            INCIDENT,
            now,
            last(DetachVolume.class).commandId(),
            "invalid_input",
            "refused",
            false,
            null));
    assertThat(state.status()).isEqualTo(IncidentStatus.PARTIAL);
    assertThat(state.permit()).as("given back when it ended").isEqualTo(Permit.RELEASED);

    // Retried later, after a person powered the server on: the adapter refuses the detach.
    receive(new RetryVolume(id(), INCIDENT, now, "oncall", 100001, "again"));
    receive(serverRunning(last(DetachVolume.class)));
    assertThat(last(IncidentHeld.class).code()).isEqualTo("FENCE_LOST");

    receive(new ResumeIncident(id(), INCIDENT, now, "oncall", "fence it again"));

    assertThat(sent.stream().filter(m -> m instanceof PowerOffServer))
        .as("the resume fences the server again, with a new permit")
        .hasSize(2);
    assertThat(state.permit()).isEqualTo(Permit.GRANTED);
  }

  @Test
  void aNodeBackAfterItsFenceHoldsTheVolumesNotYetDetached() {
    saga =
        new IncidentSaga(
            new SagaPolicy(
                FencePolicy.POWEROFF,
                Map.of(),
                SagaPolicy.defaults().steps(),
                1,
                32,
                1.0 / 3,
                Duration.ofSeconds(5),
                false));
    receive(gone(GoneReason.LEASE_EXPIRED, Map.of(), volume(100001), volume(100002)));
    receive(hcloudDone(last(PowerOffServer.class)));
    DetachVolume first = last(DetachVolume.class);

    receive(new NodeReturned(id(), INCIDENT, now, NODE));
    // The detach already on its way is the adapter's to judge; it found the volume detached.
    receive(hcloudDone(first));

    assertThat(state.status()).isEqualTo(IncidentStatus.HELD);
    assertThat(state.volume(100002).orElseThrow().phase()).isEqualTo(Phase.HELD);
    assertThat(commandTypes()).containsOnlyOnce("DetachVolume");
    // The detached volume goes on, without the node-wide taint (a volume stays on the server).
    assertThat(commandTypes())
        .contains("DeleteVolumeAttachments")
        .doesNotContain("TaintNodeOutOfService");
  }

  @Test
  void detachIsSkippedWhenTheServerWasAlreadyDeleted() {
    receive(gone(GoneReason.NODE_DELETED, Map.of(), volume(100001), volume(100002)));

    PowerOffServer fence = last(PowerOffServer.class);
    receive(
        new HcloudCommandAlreadyDone(
            id(), INCIDENT, now, fence.commandId(), "server 4202 no longer exists", true));

    assertThat(commandTypes()).doesNotContain("DetachVolume").endsWith("TaintNodeOutOfService");
    assertThat(
            sent.stream()
                .filter(m -> m instanceof StepSucceeded s && s.step().name().equals("DETACH")))
        .hasSize(2);
  }

  @Test
  void nodesOfADisposablePoolAreFencedByDeletionWithoutDetach() {
    saga =
        new IncidentSaga(
            new SagaPolicy(
                FencePolicy.POWEROFF,
                Map.of("pool", "autoscaled"),
                SagaPolicy.defaults().steps(),
                8,
                32,
                1.0 / 3,
                Duration.ofSeconds(5),
                false));
    receive(gone(GoneReason.LEASE_EXPIRED, Map.of("pool", "autoscaled"), volume(100001)));

    DeleteServer delete = last(DeleteServer.class);
    receive(hcloudDone(delete));

    assertThat(commandTypes())
        .containsExactly("DeleteServer", "CordonNode", "TaintNodeOutOfService");
  }

  @Test
  void aPauseHoldsVerifysWaitWhichTouchesTheAttachmentButNotTheWaitForTheReplacement() {
    receive(gone(GoneReason.LEASE_EXPIRED, Map.of(), volume(100001)));
    receive(hcloudDone(last(PowerOffServer.class)));
    receive(clusterDone(last(CordonNode.class)));
    receive(hcloudDone(last(DetachVolume.class)));
    receive(clusterDone(last(TaintNodeOutOfService.class)));
    conditions = new Conditions(true);
    receive(clusterDone(last(DeleteVolumeAttachments.class)));
    assertThat(commandTypes())
        .as("a wait that writes nothing goes on")
        .endsWith("AwaitReplacementPod");
    conditions = Conditions.CALM;
    receive(scheduled(last(AwaitReplacementPod.class), WORKER_3));
    AttachVolume attach = last(AttachVolume.class);
    conditions = new Conditions(true);
    receive(hcloudDone(attach));

    assertThat(commandTypes())
        .as("paused: no touch of the attachment")
        .doesNotContain("AwaitPodReady");

    conditions = Conditions.CALM;
    tick(now.plus(SagaPolicy.defaults().pauseRecheck()));
    assertThat(last(AwaitPodReady.class).requeueFirst()).isEqualTo("pv-100001");
  }

  @Test
  void aNodeThatReturnsBeforeItsFenceIsSentCancelsWithoutAnyCommand() {
    conditions = new Conditions(true);
    receive(gone(GoneReason.LEASE_EXPIRED, Map.of(), volume(100001)));
    assertThat(commandTypes()).as("paused: the fence waits").isEmpty();

    receive(new NodeReturned(id(), INCIDENT, now, NODE));

    assertThat(state.status()).isEqualTo(IncidentStatus.CANCELLED);
    assertThat(commandTypes()).isEmpty();
    assertThat(last(IncidentCancelled.class).reason()).contains("came back");
    conditions = Conditions.CALM;
    tick(now.plusSeconds(60));
    assertThat(commandTypes()).isEmpty();
  }

  @Test
  void pastTheFencingCapAnIncidentWaitsForAPerson() {
    othersFencing(2);
    receive(
        new NodeGone(
            id(),
            INCIDENT,
            now,
            NODE,
            GoneReason.LEASE_EXPIRED,
            List.of(volume(100001)),
            Map.of("fsn1", List.of(WORKER_3)),
            Map.of(),
            6));

    assertThat(state.status()).isEqualTo(IncidentStatus.HELD);
    assertThat(state.holdReason()).startsWith("FENCING_CAP");
    assertThat(commandTypes()).isEmpty();

    receive(new ResumeIncident(id(), INCIDENT, now, "oncall", "checked"));

    assertThat(commandTypes()).containsExactly("PowerOffServer");
  }

  @Test
  void aFencedIncidentWaitsForFlowSlotsAndRunsNoMoreFlowsThanItHolds() {
    // The limit is 32 flows; other incidents hold all of them.
    permits.othersHoldFlows(32);
    receive(gone(GoneReason.LEASE_EXPIRED, Map.of(), volume(100001), volume(100002)));
    receive(hcloudDone(last(PowerOffServer.class)));

    assertThat(lastAnswer(FlowSlotsRefused.class).othersHeld()).isEqualTo(32);
    assertThat(commandTypes()).containsExactly("PowerOffServer", "CordonNode");
    Duration recheck = SagaPolicy.defaults().pauseRecheck();
    tick(T0.plus(recheck).minusMillis(1));
    assertThat(sent.stream().filter(FlowSlotsRequested.class::isInstance)).hasSize(1);

    // One flow is given back elsewhere: the incident, asking again, gets that one.
    permits.othersHoldFlows(31);
    tick(T0.plus(recheck));
    assertThat(last(FlowSlotsRequested.class).wanted()).isEqualTo(2);
    assertThat(lastAnswer(FlowSlotsGranted.class).granted()).isEqualTo(1);
    assertThat(commandTypes()).containsExactly("PowerOffServer", "CordonNode", "DetachVolume");

    // Its volumes go one at a time; when the last ends, so does the incident, and it holds none.
    receive(finalFailure(last(DetachVolume.class)));
    assertThat(last(DetachVolume.class).volumeId()).isEqualTo(100002);
    receive(finalFailure(last(DetachVolume.class)));
    assertThat(state.status()).isEqualTo(IncidentStatus.PARTIAL);
    assertThat(last(FlowSlotsReturned.class).kept()).isZero();
    assertThat(permits.slots).doesNotContainKey(INCIDENT);
  }

  @Test
  void anIncidentGivesBackTheFlowSlotsItNoLongerNeedsAndAPersonsRetryIsCountedPastTheLimit() {
    receive(gone(GoneReason.LEASE_EXPIRED, Map.of(), volume(1), volume(2), volume(3)));
    receive(hcloudDone(last(PowerOffServer.class)));
    assertThat(lastAnswer(FlowSlotsGranted.class).granted()).isEqualTo(3);
    List<DetachVolume> detaches =
        sent.stream().filter(DetachVolume.class::isInstance).map(DetachVolume.class::cast).toList();
    assertThat(detaches).hasSize(3);

    receive(finalFailure(detaches.get(0)));
    assertThat(last(FlowSlotsReturned.class).kept()).isEqualTo(2);
    assertThat(permits.slots).containsEntry(INCIDENT, 2);
    receive(finalFailure(detaches.get(1)));
    receive(finalFailure(detaches.get(2)));
    assertThat(state.status()).isEqualTo(IncidentStatus.PARTIAL);
    assertThat(permits.slots).doesNotContainKey(INCIDENT);

    // Every flow is held elsewhere now; a person retries a volume all the same.
    permits.othersHoldFlows(32);
    receive(new RetryVolume(id(), INCIDENT, now, "oncall", 1, "disk checked"));

    assertThat(last(FlowSlotsRequested.class).override()).isTrue();
    assertThat(permits.slots).containsEntry(INCIDENT, 1);
    assertThat(last(DetachVolume.class).volumeId()).isEqualTo(1);
    assertThat(sent.stream().filter(DetachVolume.class::isInstance)).hasSize(4);
  }

  @Test
  void anIncidentGrantedFewerSlotsThanItWantsGetsMoreOnceOthersGiveThemBack() {
    permits.othersHoldFlows(30);
    receive(
        gone(
            GoneReason.LEASE_EXPIRED,
            Map.of(),
            volume(100001),
            volume(100002),
            volume(100003),
            volume(100004)));
    receive(hcloudDone(last(PowerOffServer.class)));
    assertThat(lastAnswer(FlowSlotsGranted.class).granted()).isEqualTo(2);
    assertThat(sentOf(DetachVolume.class)).hasSize(2);

    // The others end their flows; at the next recheck the incident asks again, and keeps running
    // its two meanwhile.
    permits.othersHoldFlows(0);
    tick(T0.plus(SagaPolicy.defaults().pauseRecheck()));

    assertThat(last(FlowSlotsRequested.class).wanted()).isEqualTo(4);
    assertThat(lastAnswer(FlowSlotsGranted.class).granted()).isEqualTo(4);
    assertThat(permits.slots).containsEntry(INCIDENT, 4);
    assertThat(sentOf(DetachVolume.class)).hasSize(4);
  }

  private HcloudCommandFailed finalFailure(DetachVolume detach) {
    return new HcloudCommandFailed(
        id(),
        INCIDENT,
        now,
        detach.commandId(),
        "invalid_input",
        "volume is protected",
        false,
        null);
  }

  @Test
  void aPodWhoseOtherVolumeIsHeldOnAServerThatRunsAgainIsNotReleased() {
    receive(onePodOnTwoVolumes(null));
    receive(hcloudDone(last(PowerOffServer.class)));
    List<DetachVolume> detaches = sentOf(DetachVolume.class);

    receive(hcloudDone(detaches.get(0)));
    // A person powered the server on before the second detach: that volume is held there.
    receive(serverRunning(detaches.get(1)));

    assertThat(state.status()).isEqualTo(IncidentStatus.HELD);
    assertThat(state.volume(2).orElseThrow().phase()).isEqualTo(Phase.HELD);
    assertThat(commandTypes())
        .as("db-0 may still run there with volume 2: not released")
        .doesNotContain("DeleteVolumeAttachments", "TaintNodeOutOfService");
  }

  @Test
  void aPodThatAlsoUsesAVolumeThatStaysIsNotReleased() {
    receive(onePodOnTwoVolumes("lifeboat.dev/failover: disabled"));
    receive(hcloudDone(last(PowerOffServer.class)));
    receive(hcloudDone(last(DetachVolume.class)));

    assertThat(commandTypes()).containsExactly("PowerOffServer", "CordonNode", "DetachVolume");
    assertThat(state.volume(1).orElseThrow().failure().reason()).isEqualTo("POD_KEEPS_VOLUME");
    assertThat(state.status()).isEqualTo(IncidentStatus.PARTIAL);
  }

  /** Pod db-0 uses volumes 1 and 2; the second opted out when {@code skipped} says so. */
  private NodeGone onePodOnTwoVolumes(String skipped) {
    List<PodRef> pod = List.of(new PodRef("shop", "db-0", "uid-db-0", "StatefulSet", "db"));
    return gone(
        GoneReason.LEASE_EXPIRED,
        Map.of(),
        new HeldVolume(1, "pv-1", new ClaimRef("shop", "data-db-0"), "fsn1", pod),
        new HeldVolume(2, "pv-2", new ClaimRef("shop", "logs-db-0"), "fsn1", pod, skipped));
  }

  @Test
  void aRetryableFailureIsRetriedAfterItsBackoffWithANewCommandId() {
    receive(gone(GoneReason.LEASE_EXPIRED, Map.of(), volume(100001)));
    PowerOffServer first = last(PowerOffServer.class);

    receive(
        new HcloudCommandFailed(
            id(), INCIDENT, now, first.commandId(), "locked", "server is locked", true, null));
    RetryScheduled retry = last(RetryScheduled.class);
    tick(retry.retryAt().minusMillis(1));
    assertThat(commandTypes()).containsExactly("PowerOffServer");
    tick(retry.retryAt());

    PowerOffServer second = last(PowerOffServer.class);
    assertThat(second.commandId()).isNotEqualTo(first.commandId());
    assertThat(retry.nextAttempt()).isEqualTo(2);
    assertThat(Duration.between(T0, retry.retryAt()))
        .isBetween(Duration.ofMillis(700), Duration.ofSeconds(1));
  }

  @Test
  void aCommandWithoutAResultFailsAtItsDeadline() {
    receive(gone(GoneReason.LEASE_EXPIRED, Map.of(), volume(100001)));

    tick(T0.plus(SagaPolicy.defaults().step(dev.lifeboat.events.saga.Step.FENCE).timeout()));

    assertThat(last(RetryScheduled.class).reason()).startsWith("TIMEOUT");
  }

  @Test
  void anAdaptersDeadlinePassedThatArrivesBeforeTheSagasOwnTimeoutIsRetriedLikeIt() {
    // The adapter stops waiting for an action at the command's deadline and says so; that answer
    // may come before the saga's own tick sees the deadline. It is the same timeout: the step is
    // tried again (which finds the action's outcome), not failed for good.
    receive(gone(GoneReason.LEASE_EXPIRED, Map.of(), volume(100001)));
    PowerOffServer first = last(PowerOffServer.class);

    receive(
        new HcloudCommandFailed(
            id(),
            INCIDENT,
            now,
            first.commandId(),
            "deadline_passed",
            "the command's deadline passed while its action ran",
            false,
            null));

    RetryScheduled retry = last(RetryScheduled.class);
    assertThat(retry.nextAttempt()).isEqualTo(2);
    assertThat(retry.reason()).startsWith("deadline_passed");
    tick(retry.retryAt());
    assertThat(last(PowerOffServer.class).commandId()).isNotEqualTo(first.commandId());
  }

  @Test
  void aNodeWithoutServerIdIsNeverFencedAndItsVolumesFailWithTheReason() {
    NodeRef unknown = new NodeRef("worker-x", "uid-x", 0, "fsn1");
    receive(
        new NodeGone(
            id(),
            INCIDENT,
            now,
            unknown,
            GoneReason.NOT_READY,
            List.of(volume(100001)),
            Map.of("fsn1", List.of(WORKER_3)),
            Map.of(),
            6));

    assertThat(commandTypes()).isEmpty();
    assertThat(state.status()).isEqualTo(IncidentStatus.PARTIAL);
    assertThat(state.volumes().get(0).failure().reason()).isEqualTo("NO_SERVER");
  }

  @Test
  void dryRunRecordsThePlanAndSendsNothing() {
    SagaPolicy defaults = SagaPolicy.defaults();
    saga =
        new IncidentSaga(
            new SagaPolicy(
                defaults.fencing(),
                Map.of(),
                defaults.steps(),
                8,
                32,
                1.0 / 3,
                Duration.ofSeconds(5),
                true));

    receive(gone(GoneReason.LEASE_EXPIRED, Map.of(), volume(100001)));

    assertThat(commandTypes()).isEmpty();
    assertThat(state.status()).isEqualTo(IncidentStatus.CANCELLED);
    assertThat(
            sent.stream()
                .filter(m -> m instanceof StepSucceeded s && s.detail().startsWith("dry run"))
                .map(m -> ((StepSucceeded) m).step().name()))
        .containsExactly("FENCE", "RELEASE", "DETACH", "RELEASE", "RESCHEDULE", "ATTACH", "VERIFY");
  }

  // ---- helpers ---------------------------------------------------------------------------------

  private void receive(LifeboatMessage message) {
    Outcome outcome = saga.apply(state, message, now, conditions);
    state = outcome.state();
    sent.addAll(outcome.messages());
    askPermits(outcome);
  }

  private void tick(Instant at) {
    now = at;
    Outcome outcome = saga.tick(state, now, conditions);
    state = outcome.state();
    sent.addAll(outcome.messages());
    askPermits(outcome);
  }

  /** The fencing permits (the real rule) answer at once: they are part of the orchestrator. */
  private void askPermits(Outcome outcome) {
    for (LifeboatMessage message : outcome.messages()) {
      PermitMessage answer = permits.take(message, now);
      if (answer != null) {
        answers.add(answer);
        receive(answer);
      }
    }
  }

  private void othersFencing(int count) {
    permits.othersFencing(count);
  }

  private List<String> commandTypes() {
    return sent.stream()
        .filter(m -> m instanceof Command)
        .map(m -> m.getClass().getSimpleName())
        .toList();
  }

  private <T> List<T> sentOf(Class<T> type) {
    return sent.stream().filter(type::isInstance).map(type::cast).toList();
  }

  private <T> T lastAnswer(Class<T> type) {
    return answers.stream()
        .filter(type::isInstance)
        .map(type::cast)
        .reduce((a, b) -> b)
        .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " in " + answers));
  }

  private <T> T last(Class<T> type) {
    return sent.stream()
        .filter(type::isInstance)
        .map(type::cast)
        .reduce((a, b) -> b)
        .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " in " + sent));
  }

  private static HeldVolume volume(long id) {
    return new HeldVolume(
        id,
        "pv-" + id,
        new ClaimRef("shop", "data-" + id),
        "fsn1",
        List.of(new PodRef("shop", "db-" + id, "uid-" + id, "StatefulSet", "db")));
  }

  private NodeGone gone(GoneReason reason, Map<String, String> labels, HeldVolume... volumes) {
    return new NodeGone(
        id(),
        INCIDENT,
        now,
        NODE,
        reason,
        List.of(volumes),
        Map.of("fsn1", List.of(WORKER_3)),
        labels,
        6);
  }

  private HcloudCommandSucceeded hcloudDone(Command command) {
    return new HcloudCommandSucceeded(id(), INCIDENT, now, command.commandId(), 1, now, now);
  }

  private ClusterCommandSucceeded clusterDone(Command command) {
    return new ClusterCommandSucceeded(id(), INCIDENT, now, command.commandId(), false, "done");
  }

  private ReplacementPodScheduled scheduled(AwaitReplacementPod await, EligibleNode node) {
    return scheduledAs(await, node, "uid-new");
  }

  private ReplacementPodScheduled scheduledAs(
      AwaitReplacementPod await, EligibleNode node, String podUid) {
    return new ReplacementPodScheduled(
        id(),
        INCIDENT,
        now,
        await.commandId(),
        await.volumeId(),
        new PodRef("shop", "db-new", podUid, "StatefulSet", "db"),
        node.name(),
        node.serverId(),
        node.location());
  }

  private static String id() {
    return MessageIds.random();
  }
}
