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
import dev.lifeboat.events.cluster.DeleteNode;
import dev.lifeboat.events.cluster.DeleteVolumeAttachments;
import dev.lifeboat.events.cluster.EvictPods;
import dev.lifeboat.events.cluster.PodReady;
import dev.lifeboat.events.cluster.ReplacementPodScheduled;
import dev.lifeboat.events.control.AbortIncident;
import dev.lifeboat.events.control.CancelIncident;
import dev.lifeboat.events.control.ResumeIncident;
import dev.lifeboat.events.hcloud.AttachVolume;
import dev.lifeboat.events.hcloud.DetachVolume;
import dev.lifeboat.events.hcloud.HcloudCommandFailed;
import dev.lifeboat.events.hcloud.HcloudCommandSucceeded;
import dev.lifeboat.events.hcloud.RetireServer;
import dev.lifeboat.events.node.ClaimRef;
import dev.lifeboat.events.node.EligibleNode;
import dev.lifeboat.events.node.HeldVolume;
import dev.lifeboat.events.node.NodeRef;
import dev.lifeboat.events.node.PodRef;
import dev.lifeboat.events.node.RemovalRequested;
import dev.lifeboat.events.node.ServerDisposal;
import dev.lifeboat.events.permit.PermitMessage;
import dev.lifeboat.events.saga.IncidentCancelled;
import dev.lifeboat.events.saga.IncidentCompleted;
import dev.lifeboat.events.saga.IncidentHeld;
import dev.lifeboat.events.saga.IncidentPartial;
import dev.lifeboat.events.saga.IncidentStatus;
import dev.lifeboat.events.saga.RequestRefused;
import dev.lifeboat.events.saga.RetryScheduled;
import dev.lifeboat.events.saga.Step;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A planned removal's saga given messages, without a broker: what it sends, in which order. */
class RemovalSagaTest {

  private static final Instant T0 = Instant.parse("2026-12-03T02:00:00Z");
  private static final NodeRef NODE = new NodeRef("worker-2", "uid-2", 4202, "fsn1");
  private static final String REMOVAL = IncidentId.forRemoval(NODE.name(), NODE.uid());
  private static final EligibleNode WORKER_3 = new EligibleNode("worker-3", 4203, "fsn1");

  private final List<LifeboatMessage> sent = new ArrayList<>();
  private final IncidentSaga saga = new IncidentSaga(SagaPolicy.defaults());
  private final PermitDesk permits = new PermitDesk();
  private IncidentState state;
  private Instant now = T0;

  @Test
  void aRemovalCordonsEvictsAndDetachesWithoutFencingAndRetiresTheServerAfterTheLastMove() {
    receive(removal(ServerDisposal.DELETE, volume(100001), volume(100002)));

    assertThat(last(CordonNode.class).unschedulable()).isTrue();
    assertThat(sentOf(EvictPods.class)).as("nothing is evicted before the cordon holds").isEmpty();
    receive(clusterDone(last(CordonNode.class)));
    List<EvictPods> evictions = sentOf(EvictPods.class);
    assertThat(evictions).hasSize(2);
    assertThat(evictions.get(0).pods()).extracting(PodRef::name).containsExactly("db-100001");
    assertThat(evictions.get(0).wholeNode()).isFalse();
    assertThat(sentOf(DetachVolume.class)).as("a volume waits until its pods are gone").isEmpty();

    moveVolume(100001, evictions.get(0));
    assertThat(sentOf(RetireServer.class))
        .as("the server stays while a volume is still on it")
        .isEmpty();
    moveVolume(100002, evictions.get(1));

    EvictPods drain = last(EvictPods.class);
    assertThat(drain.wholeNode()).isTrue();
    assertThat(drain.pods()).isEmpty();
    assertThat(sentOf(RetireServer.class)).as("the other pods are drained first").isEmpty();
    receive(clusterDone(drain));
    RetireServer retire = last(RetireServer.class);
    assertThat(retire.serverId()).isEqualTo(4202);
    assertThat(retire.disposal()).isEqualTo(ServerDisposal.DELETE);
    receive(hcloudDone(retire));
    DeleteNode deleteNode = last(DeleteNode.class);
    assertThat(deleteNode.nodeUid()).isEqualTo("uid-2");
    receive(clusterDone(deleteNode));

    assertThat(state.status()).isEqualTo(IncidentStatus.COMPLETED);
    assertThat(state.kind()).isEqualTo(IncidentKind.REMOVAL);
    assertThat(last(IncidentCompleted.class).movedVolumes()).containsExactly(100001L, 100002L);
    assertThat(commandTypes())
        .doesNotContain("PowerOffServer", "DeleteServer", "TaintNodeOutOfService");
    assertThat(sentOf(DeleteVolumeAttachments.class))
        .as("the pods were evicted gracefully: none is force-deleted")
        .isNotEmpty()
        .allSatisfy(release -> assertThat(release.forceDeleteFirst()).isEmpty());
    assertThat(sentOf(DetachVolume.class)).allSatisfy(d -> assertThat(d.planned()).isTrue());
    // The server goes only after the last detach, and the Node only after the server.
    assertThat(indexOf(retire)).isGreaterThan(indexOf(last(DetachVolume.class)));
    assertThat(indexOf(deleteNode)).isGreaterThan(indexOf(retire));
  }

  @Test
  void aRemovalWithSomeVolumeThatHasNowhereToGoIsRefusedAndTouchesNothing() {
    HeldVolume elsewhere =
        new HeldVolume(
            100009,
            "pv-100009",
            new ClaimRef("shop", "data-100009"),
            "hel1",
            List.of(new PodRef("shop", "db-100009", "uid-100009", "StatefulSet", "db")));

    receive(removal(ServerDisposal.DELETE, volume(100001), elsewhere));

    assertThat(commandTypes()).isEmpty();
    assertThat(state.status()).isEqualTo(IncidentStatus.CANCELLED);
    assertThat(last(IncidentCancelled.class).reason())
        .contains("refused at pre-flight")
        .contains("volume 100009")
        .contains("hel1");
  }

  @Test
  void aVolumeOptedOutOfLifeboatRefusesTheRemoval() {
    HeldVolume optedOut =
        new HeldVolume(
            100002,
            "pv-100002",
            new ClaimRef("shop", "data-100002"),
            "fsn1",
            List.of(new PodRef("shop", "cache-0", "uid-cache-0", "StatefulSet", "cache")),
            "lifeboat.dev/failover: disabled");

    receive(removal(ServerDisposal.KEEP, volume(100001), optedOut));

    assertThat(commandTypes()).isEmpty();
    assertThat(last(IncidentCancelled.class).reason()).contains("opted out");
  }

  @Test
  void anEvictionRefusedByADisruptionBudgetIsTriedAgainAndTheTimelineSaysWhy() {
    receive(removal(ServerDisposal.KEEP, volume(100001)));
    receive(clusterDone(last(CordonNode.class)));
    EvictPods evict = last(EvictPods.class);

    receive(
        new ClusterCommandFailed(
            id(),
            REMOVAL,
            now,
            evict.commandId(),
            FailureCodes.EVICTION_BLOCKED,
            "pod shop/db-100001: PodDisruptionBudget shop/db allows no disruption now",
            true));

    RetryScheduled retry = last(RetryScheduled.class);
    assertThat(retry.step()).isEqualTo(Step.EVICT);
    assertThat(retry.reason()).contains("PodDisruptionBudget shop/db");
    assertThat(sentOf(DetachVolume.class)).isEmpty();
    tick(retry.retryAt());
    assertThat(sentOf(EvictPods.class)).hasSize(2);
    assertThat(last(EvictPods.class).commandId()).isNotEqualTo(evict.commandId());
  }

  @Test
  void theServerIsLeftAloneWhenAVolumeDidNotMove() {
    receive(removal(ServerDisposal.DELETE, volume(100001), volume(100002)));
    receive(clusterDone(last(CordonNode.class)));
    List<EvictPods> evictions = sentOf(EvictPods.class);
    moveVolume(100001, evictions.get(0));
    receive(clusterDone(evictions.get(1)));
    DetachVolume detach = last(DetachVolume.class);

    receive(
        new HcloudCommandFailed(
            id(),
            REMOVAL,
            now,
            detach.commandId(),
            "attached_elsewhere",
            "volume 100002 is attached to server 4299",
            false,
            null));

    assertThat(state.status()).isEqualTo(IncidentStatus.PARTIAL);
    assertThat(last(IncidentPartial.class).failures())
        .singleElement()
        .satisfies(failure -> assertThat(failure.volumeId()).isEqualTo(100002));
    assertThat(sentOf(RetireServer.class)).isEmpty();
    assertThat(sentOf(EvictPods.class)).noneMatch(EvictPods::wholeNode);
    assertThat(sentOf(DeleteNode.class)).isEmpty();
  }

  @Test
  void withKeepTheServerIsLeftRunningAndTheNodeStays() {
    receive(removal(ServerDisposal.KEEP, volume(100001)));
    receive(clusterDone(last(CordonNode.class)));
    moveVolume(100001, last(EvictPods.class));
    receive(clusterDone(last(EvictPods.class)));

    assertThat(state.status()).isEqualTo(IncidentStatus.COMPLETED);
    assertThat(sentOf(RetireServer.class)).isEmpty();
    assertThat(sentOf(DeleteNode.class)).isEmpty();
  }

  @Test
  void poweroffRetiresTheServerButKeepsItsNode() {
    receive(removal(ServerDisposal.POWEROFF, volume(100001)));
    receive(clusterDone(last(CordonNode.class)));
    moveVolume(100001, last(EvictPods.class));
    receive(clusterDone(last(EvictPods.class)));
    receive(hcloudDone(last(RetireServer.class)));

    assertThat(last(RetireServer.class).disposal()).isEqualTo(ServerDisposal.POWEROFF);
    assertThat(sentOf(DeleteNode.class)).isEmpty();
    assertThat(state.status()).isEqualTo(IncidentStatus.COMPLETED);
  }

  @Test
  void aNodeWithoutVolumesIsDrainedAndRetiredOnceCordoned() {
    receive(removal(ServerDisposal.DELETE));
    assertThat(sentOf(EvictPods.class)).isEmpty();
    receive(clusterDone(last(CordonNode.class)));
    receive(clusterDone(last(EvictPods.class)));
    receive(hcloudDone(last(RetireServer.class)));
    receive(clusterDone(last(DeleteNode.class)));

    assertThat(state.status()).isEqualTo(IncidentStatus.COMPLETED);
  }

  @Test
  void aVolumeUnderWayWhenTheRemovalIsCancelledIsMovedOnNotLeftDetached() {
    receive(removal(ServerDisposal.DELETE, volume(100001)));
    receive(clusterDone(last(CordonNode.class)));

    receive(new CancelIncident(id(), REMOVAL, now, "alice", "wrong node"));
    receive(clusterDone(last(EvictPods.class))); // the eviction under way gets to its end...
    receive(
        new HcloudCommandSucceeded(
            id(), REMOVAL, now, last(DetachVolume.class).commandId(), 1, now, now));

    assertThat(state.status())
        .as("a volume off the server is moved on, not left detached")
        .isEqualTo(IncidentStatus.RUNNING);
  }

  @Test
  void aCancelWhileVolumesWaitStartsNoneOfThemAndUncordonsOnlyIfNothingLeftTheServer() {
    SagaPolicy oneAtATime =
        new SagaPolicy(
            FencePolicy.POWEROFF,
            Map.of(),
            SagaPolicy.defaults().steps(),
            1,
            32,
            1.0 / 3,
            SagaPolicy.defaults().pauseRecheck(),
            false);
    IncidentSaga serial = new IncidentSaga(oneAtATime);
    receiveWith(serial, removal(ServerDisposal.DELETE, volume(100001), volume(100002)));
    receiveWith(serial, clusterDone(last(CordonNode.class)));
    assertThat(sentOf(EvictPods.class)).hasSize(1);

    receiveWith(serial, new CancelIncident(id(), REMOVAL, now, "alice", null));
    receiveWith(
        serial,
        new ClusterCommandFailed(
            id(),
            REMOVAL,
            now,
            last(EvictPods.class).commandId(),
            FailureCodes.EVICTION_BLOCKED,
            "PodDisruptionBudget shop/db allows no disruption now",
            true));
    // The eviction under way waits for its retry; the second volume never starts.
    tick(serial, last(RetryScheduled.class).retryAt());
    receiveWith(serial, clusterDone(last(EvictPods.class)));
    DetachVolume detach = last(DetachVolume.class);
    assertThat(detach.volumeId()).isEqualTo(100001);
    assertThat(sentOf(EvictPods.class))
        .extracting(e -> e.pods().get(0).name())
        .containsOnly("db-100001");
  }

  @Test
  void aCancelWhileADisruptionBudgetHoldsTheEvictionStopsAndUncordonsTheNode() {
    receive(removal(ServerDisposal.DELETE, volume(100001)));
    receive(clusterDone(last(CordonNode.class)));
    receive(
        new ClusterCommandFailed(
            id(),
            REMOVAL,
            now,
            last(EvictPods.class).commandId(),
            FailureCodes.EVICTION_BLOCKED,
            "pod shop/db-100001: PodDisruptionBudget shop/db allows no disruption now",
            true));

    receive(new CancelIncident(id(), REMOVAL, now, "alice", null));

    assertThat(state.status()).isEqualTo(IncidentStatus.CANCELLED);
    assertThat(last(CordonNode.class).unschedulable()).isFalse();
    assertThat(last(IncidentCancelled.class).reason()).contains("the node is uncordoned");
    int evictions = sentOf(EvictPods.class).size();
    tick(now.plusSeconds(120));
    assertThat(sentOf(EvictPods.class)).as("no eviction is asked again").hasSize(evictions);
    assertThat(sentOf(DetachVolume.class)).isEmpty();
  }

  @Test
  void aCancelAfterAVolumeMovedKeepsItMovedAndTheNodeCordoned() {
    SagaPolicy oneAtATime =
        new SagaPolicy(
            FencePolicy.POWEROFF,
            Map.of(),
            SagaPolicy.defaults().steps(),
            1,
            32,
            1.0 / 3,
            SagaPolicy.defaults().pauseRecheck(),
            false);
    IncidentSaga serial = new IncidentSaga(oneAtATime);
    receiveWith(serial, removal(ServerDisposal.DELETE, volume(100001), volume(100002)));
    receiveWith(serial, clusterDone(last(CordonNode.class)));
    EvictPods first = last(EvictPods.class);
    receiveWith(serial, new CancelIncident(id(), REMOVAL, now, "alice", null));
    moveVolumeWith(serial, 100001, first);

    assertThat(state.status()).isEqualTo(IncidentStatus.CANCELLED);
    assertThat(last(IncidentCancelled.class).reason())
        .contains("cancelled by alice")
        .contains("1 volume(s) moved and stay moved");
    assertThat(sentOf(EvictPods.class)).hasSize(1);
    assertThat(sentOf(CordonNode.class)).noneMatch(c -> !c.unschedulable());
    assertThat(sentOf(RetireServer.class)).isEmpty();
  }

  @Test
  void aCancelBeforeAnyVolumeLeftUncordonsTheNode() {
    receive(removal(ServerDisposal.DELETE, volume(100001)));
    CordonNode cordon = last(CordonNode.class);
    receive(new CancelIncident(id(), REMOVAL, now, "alice", null));
    receive(clusterDone(cordon));

    assertThat(state.status()).isEqualTo(IncidentStatus.CANCELLED);
    CordonNode uncordon = last(CordonNode.class);
    assertThat(uncordon.unschedulable()).isFalse();
    assertThat(sentOf(EvictPods.class)).isEmpty();
    assertThat(last(IncidentCancelled.class).reason()).contains("the node is uncordoned");
  }

  @Test
  void aCancelComesTooLateOnceTheServerIsBeingRetired() {
    receive(removal(ServerDisposal.DELETE, volume(100001)));
    receive(clusterDone(last(CordonNode.class)));
    moveVolume(100001, last(EvictPods.class));
    receive(clusterDone(last(EvictPods.class)));
    assertThat(sentOf(RetireServer.class)).hasSize(1);

    receive(new CancelIncident(id(), REMOVAL, now, "alice", null));

    assertThat(last(RequestRefused.class).reason()).contains("too late to cancel");
    assertThat(state.status()).isEqualTo(IncidentStatus.RUNNING);
  }

  @Test
  void aRetireThatGivesUpHoldsTheRemovalAndAResumeTriesItAgain() {
    receive(removal(ServerDisposal.DELETE, volume(100001)));
    receive(clusterDone(last(CordonNode.class)));
    moveVolume(100001, last(EvictPods.class));
    receive(clusterDone(last(EvictPods.class)));
    for (int attempt = 1;
        attempt <= SagaPolicy.defaults().step(Step.FINISH).maxAttempts();
        attempt++) {
      RetireServer retire = last(RetireServer.class);
      receive(
          new HcloudCommandFailed(
              id(),
              REMOVAL,
              now,
              retire.commandId(),
              FailureCodes.VOLUMES_ATTACHED,
              "server 4202 still has volume 100777 attached",
              true,
              null));
      if (state.status() == IncidentStatus.RUNNING) {
        tick(last(RetryScheduled.class).retryAt());
      }
    }
    assertThat(state.status()).isEqualTo(IncidentStatus.HELD);
    assertThat(last(IncidentHeld.class).reason()).contains("volume 100777");
    int retires = sentOf(RetireServer.class).size();

    receive(new ResumeIncident(id(), REMOVAL, now, "alice", null));

    assertThat(sentOf(RetireServer.class)).hasSize(retires + 1);
    receive(hcloudDone(last(RetireServer.class)));
    receive(clusterDone(last(DeleteNode.class)));
    assertThat(state.status()).isEqualTo(IncidentStatus.COMPLETED);
  }

  @Test
  void anAbortInFinishLeavesTheServerAndEndsTheRemoval() {
    receive(removal(ServerDisposal.DELETE, volume(100001)));
    receive(clusterDone(last(CordonNode.class)));
    moveVolume(100001, last(EvictPods.class));

    receive(new AbortIncident(id(), REMOVAL, now, "alice", "keep it for debugging"));
    receive(clusterDone(last(EvictPods.class)));

    assertThat(state.status()).isEqualTo(IncidentStatus.CANCELLED);
    assertThat(sentOf(RetireServer.class)).isEmpty();
  }

  @Test
  void aRemovalAskedAgainWhileItRunsChangesNothingAndAgainAfterACancelStartsOver() {
    receive(removal(ServerDisposal.DELETE, volume(100001)));
    int before = sent.size();
    receive(removal(ServerDisposal.KEEP, volume(100001)));
    assertThat(sent).hasSize(before);

    receive(new CancelIncident(id(), REMOVAL, now, "alice", null));
    receive(clusterDone(last(CordonNode.class)));
    assertThat(state.status()).isEqualTo(IncidentStatus.CANCELLED);
    long sequence = state.sequence;

    receive(removal(ServerDisposal.KEEP, volume(100001)));

    assertThat(state.status()).isEqualTo(IncidentStatus.RUNNING);
    assertThat(state.then()).isEqualTo(ServerDisposal.KEEP);
    assertThat(state.sequence).isGreaterThan(sequence);
  }

  @Test
  void aDryRunRemovalRecordsThePlanAndSendsNothing() {
    IncidentSaga dry = new IncidentSaga(SagaPolicy.defaults().inDryRun());
    receiveWith(dry, removal(ServerDisposal.DELETE, volume(100001)));

    assertThat(commandTypes()).isEmpty();
    assertThat(state.status()).isEqualTo(IncidentStatus.CANCELLED);
    assertThat(dry.handlesLive(state)).as("a removal is asked for again, not made live").isFalse();
  }

  // ---- helpers ---------------------------------------------------------------------------------

  /** Evicted, detached, released, rescheduled on worker-3, attached, Ready. */
  private void moveVolume(long volumeId, EvictPods evict) {
    moveVolumeWith(saga, volumeId, evict);
  }

  private void moveVolumeWith(IncidentSaga with, long volumeId, EvictPods evict) {
    receiveWith(with, clusterDone(evict));
    DetachVolume detach = lastFor(DetachVolume.class, volumeId);
    assertThat(detach.planned()).isTrue();
    receiveWith(with, hcloudDone(detach));
    receiveWith(with, clusterDone(lastFor(DeleteVolumeAttachments.class, volumeId)));
    AwaitReplacementPod await = lastFor(AwaitReplacementPod.class, volumeId);
    receiveWith(
        with,
        new ReplacementPodScheduled(
            id(),
            REMOVAL,
            now,
            await.commandId(),
            volumeId,
            new PodRef("shop", "db-" + volumeId, "uid-new-" + volumeId, "StatefulSet", "db"),
            WORKER_3.name(),
            WORKER_3.serverId(),
            WORKER_3.location()));
    AttachVolume attach = lastFor(AttachVolume.class, volumeId);
    assertThat(attach.serverId()).isEqualTo(4203);
    receiveWith(with, hcloudDone(attach));
    AwaitPodReady ready = lastFor(AwaitPodReady.class, volumeId);
    receiveWith(
        with,
        new PodReady(
            id(), REMOVAL, now, ready.commandId(), volumeId, ready.pod(), ready.nodeName()));
  }

  private void receive(LifeboatMessage message) {
    receiveWith(saga, message);
  }

  private void receiveWith(IncidentSaga with, LifeboatMessage message) {
    Outcome outcome = with.apply(state, message, now, Conditions.CALM);
    take(with, outcome);
  }

  private void tick(Instant at) {
    tick(saga, at);
  }

  private void tick(IncidentSaga with, Instant at) {
    now = at;
    take(with, with.tick(state, now, Conditions.CALM));
  }

  private void take(IncidentSaga with, Outcome outcome) {
    state = outcome.state();
    sent.addAll(outcome.messages());
    for (LifeboatMessage message : outcome.messages()) {
      PermitMessage answer = permits.take(message, now);
      if (answer != null) {
        receiveWith(with, answer);
      }
    }
  }

  private RemovalRequested removal(ServerDisposal then, HeldVolume... volumes) {
    return new RemovalRequested(
        id(),
        REMOVAL,
        now,
        NODE,
        then,
        "alice",
        List.of(volumes),
        Map.of("fsn1", List.of(WORKER_3)),
        Map.of(),
        6);
  }

  private static HeldVolume volume(long id) {
    return new HeldVolume(
        id,
        "pv-" + id,
        new ClaimRef("shop", "data-" + id),
        "fsn1",
        List.of(new PodRef("shop", "db-" + id, "uid-" + id, "StatefulSet", "db")));
  }

  private List<String> commandTypes() {
    return sent.stream()
        .filter(m -> m instanceof Command)
        .map(m -> m.getClass().getSimpleName())
        .toList();
  }

  private int indexOf(LifeboatMessage message) {
    return sent.indexOf(message);
  }

  private <T> List<T> sentOf(Class<T> type) {
    return sent.stream().filter(type::isInstance).map(type::cast).toList();
  }

  private <T> T last(Class<T> type) {
    return sent.stream()
        .filter(type::isInstance)
        .map(type::cast)
        .reduce((a, b) -> b)
        .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " in " + sent));
  }

  private <T> T lastFor(Class<T> type, long volumeId) {
    return sent.stream()
        .filter(type::isInstance)
        .filter(m -> volumeOf(m) == volumeId)
        .map(type::cast)
        .reduce((a, b) -> b)
        .orElseThrow(
            () ->
                new AssertionError(
                    "no " + type.getSimpleName() + " for volume " + volumeId + " in " + sent));
  }

  private static long volumeOf(Object message) {
    if (message instanceof dev.lifeboat.events.VolumeCommand command) {
      return command.volumeId();
    }
    if (message instanceof DeleteVolumeAttachments delete) {
      return Long.parseLong(delete.persistentVolumes().get(0).substring("pv-".length()));
    }
    return -1;
  }

  private HcloudCommandSucceeded hcloudDone(Command command) {
    return new HcloudCommandSucceeded(id(), REMOVAL, now, command.commandId(), 1, now, now);
  }

  private ClusterCommandSucceeded clusterDone(Command command) {
    return new ClusterCommandSucceeded(id(), REMOVAL, now, command.commandId(), false, "done");
  }

  private static String id() {
    return MessageIds.random();
  }
}
