package dev.lifeboat.orchestrator.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.events.Command;
import dev.lifeboat.events.FailureCodes;
import dev.lifeboat.events.IncidentId;
import dev.lifeboat.events.LifeboatMessage;
import dev.lifeboat.events.MessageIds;
import dev.lifeboat.events.cluster.ClusterCommandSucceeded;
import dev.lifeboat.events.cluster.DeleteVolumeAttachments;
import dev.lifeboat.events.doctor.Repair;
import dev.lifeboat.events.hcloud.AttachVolume;
import dev.lifeboat.events.hcloud.DetachVolume;
import dev.lifeboat.events.hcloud.HcloudCommandFailed;
import dev.lifeboat.events.hcloud.HcloudCommandSucceeded;
import dev.lifeboat.events.node.ClaimRef;
import dev.lifeboat.events.node.HeldVolume;
import dev.lifeboat.events.node.NodeRef;
import dev.lifeboat.events.node.RepairRequested;
import dev.lifeboat.events.saga.IncidentCompleted;
import dev.lifeboat.events.saga.IncidentPartial;
import dev.lifeboat.events.saga.IncidentStatus;
import dev.lifeboat.events.saga.Step;
import dev.lifeboat.events.saga.StepFailed;
import dev.lifeboat.events.saga.StepSucceeded;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The saga of a doctor's repair given messages, without a broker: a detach from a server that no
 * Node stands for, nothing else, and never again once the adapter found the server running.
 */
class RepairSagaTest {

  private static final Instant T0 = Instant.parse("2026-12-04T03:00:00Z");
  private static final long SERVER = 4299;
  private static final long VOLUME = 100077;
  private static final String REPAIR = IncidentId.forRepair("repair-1");

  private final List<LifeboatMessage> sent = new ArrayList<>();
  private final IncidentSaga saga = new IncidentSaga(SagaPolicy.defaults());
  private IncidentState state;
  private Instant now = T0;

  @Test
  void aRepairDetachesTheVolumeFromTheServerItNamesAsAFencedDetachAndEnds() {
    receive(repairRequested());

    DetachVolume detach = only(DetachVolume.class);
    assertThat(detach.volumeId()).isEqualTo(VOLUME);
    assertThat(detach.expectedServerId()).isEqualTo(SERVER);
    assertThat(detach.planned())
        .as("not planned: the adapter detaches only while the server is off")
        .isFalse();
    assertThat(state.kind()).isEqualTo(IncidentKind.REPAIR);

    receive(new HcloudCommandSucceeded(id(), REPAIR, now, detach.commandId(), 7, now, now));

    assertThat(state.status()).isEqualTo(IncidentStatus.COMPLETED);
    assertThat(only(IncidentCompleted.class).movedVolumes()).containsExactly(VOLUME);
    assertThat(commandTypes())
        .as("nothing is fenced, cordoned, tainted, released or attached")
        .containsExactly("DetachVolume");
    assertThat(sentOf(StepSucceeded.class))
        .extracting(StepSucceeded::step)
        .containsExactly(Step.PRE_FLIGHT, Step.DETACH);
    assertThat(sentOf(StepSucceeded.class).get(0).detail())
        .contains("volume-on-server-without-node/volume/" + VOLUME)
        .contains("alice");
  }

  @Test
  void aDetachRefusedBecauseTheServerRunsEndsTheRepairAtOnceAndIsNeverTriedAgain() {
    receive(repairRequested());
    DetachVolume detach = only(DetachVolume.class);

    receive(
        new HcloudCommandFailed(
            id(),
            REPAIR,
            now,
            detach.commandId(),
            FailureCodes.SERVER_RUNNING,
            "server " + SERVER + " is running: its fence no longer holds",
            true,
            null));
    now = now.plus(Duration.ofMinutes(10));
    sent.addAll(saga.tick(state, now, Conditions.CALM).messages());

    assertThat(sentOf(DetachVolume.class)).hasSize(1);
    assertThat(state.status()).isEqualTo(IncidentStatus.PARTIAL);
    assertThat(only(IncidentPartial.class).failures())
        .singleElement()
        .satisfies(f -> assertThat(f.reason()).isEqualTo(FailureCodes.SERVER_RUNNING));
    StepFailed failed = only(StepFailed.class);
    assertThat(failed.giveUp()).isTrue();
    assertThat(failed.message()).contains("the volume stays where it is");
  }

  @Test
  void anAttachRepairAttachesTheVolumeToTheServerOfTheNodeItsAttachmentNamesAndEnds() {
    receive(attachRequested());

    AttachVolume attach = only(AttachVolume.class);
    assertThat(attach.volumeId()).isEqualTo(VOLUME);
    assertThat(attach.serverId()).isEqualTo(TARGET);
    receive(new HcloudCommandSucceeded(id(), REPAIR, now, attach.commandId(), 8, now, now));

    assertThat(state.status()).isEqualTo(IncidentStatus.COMPLETED);
    assertThat(commandTypes()).containsExactly("AttachVolume");
    assertThat(sentOf(StepSucceeded.class).get(0).detail())
        .contains("attach volume " + VOLUME)
        .contains("worker-7");
  }

  @Test
  void anAttachRefusedBecauseTheTargetDoesNotRunEndsTheRepairWithoutHandingTheVolumeOn() {
    receive(attachRequested());
    AttachVolume attach = only(AttachVolume.class);

    receive(
        new HcloudCommandFailed(
            id(),
            REPAIR,
            now,
            attach.commandId(),
            FailureCodes.TARGET_NOT_RUNNING,
            "server " + TARGET + " is off: no volume is attached to a server that does not run",
            false,
            null));

    assertThat(state.status()).isEqualTo(IncidentStatus.PARTIAL);
    assertThat(commandTypes()).containsExactly("AttachVolume");
  }

  @Test
  void aMoveDetachesFromTheLostServerReleasesItsNodesAttachmentThenAttachesWhereThePodWaits() {
    receive(moveRequested());

    DetachVolume detach = only(DetachVolume.class);
    assertThat(detach.expectedServerId()).isEqualTo(SERVER);
    assertThat(detach.planned()).isFalse();
    assertThat(sentOf(AttachVolume.class)).as("not before the detach").isEmpty();
    receive(new HcloudCommandSucceeded(id(), REPAIR, now, detach.commandId(), 9, now, now));
    DeleteVolumeAttachments release = only(DeleteVolumeAttachments.class);
    assertThat(release.nodeName()).isEqualTo("worker-1");
    assertThat(release.persistentVolumes()).containsExactly("pv-" + VOLUME);
    assertThat(release.forceDeleteFirst()).as("the pod already waits elsewhere").isEmpty();
    receive(new ClusterCommandSucceeded(id(), REPAIR, now, release.commandId(), false, "done"));
    AttachVolume attach = only(AttachVolume.class);
    assertThat(attach.serverId()).isEqualTo(TARGET);
    receive(new HcloudCommandSucceeded(id(), REPAIR, now, attach.commandId(), 10, now, now));

    assertThat(state.status()).isEqualTo(IncidentStatus.COMPLETED);
    assertThat(commandTypes())
        .as("no pod is force-deleted, nothing fenced")
        .containsExactly("DetachVolume", "DeleteVolumeAttachments", "AttachVolume");
  }

  @Test
  void aMoveWhoseLostServerRunsAgainAttachesNothing() {
    receive(moveRequested());

    receive(
        new HcloudCommandFailed(
            id(),
            REPAIR,
            now,
            only(DetachVolume.class).commandId(),
            FailureCodes.SERVER_RUNNING,
            "server " + SERVER + " is running: its fence no longer holds",
            true,
            null));

    assertThat(state.status()).isEqualTo(IncidentStatus.PARTIAL);
    assertThat(commandTypes()).containsExactly("DetachVolume");
  }

  @Test
  void theSameRepairSentTwiceOpensOneSaga() {
    RepairRequested request = repairRequested();
    receive(request);
    receive(request);

    assertThat(sentOf(DetachVolume.class)).hasSize(1);
  }

  private RepairRequested repairRequested() {
    String server = RepairRequested.serverName(SERVER);
    return opening(
        "repair-requested-1",
        new NodeRef(server, server, SERVER, "fsn1"),
        "volume-on-server-without-node/volume/" + VOLUME,
        new Repair(Repair.Action.DETACH_VOLUME, VOLUME, SERVER, null, null),
        null);
  }

  private static final long TARGET = 4207;

  private RepairRequested attachRequested() {
    return opening(
        "repair-requested-2",
        new NodeRef("worker-7", "worker-7", TARGET, "fsn1"),
        "attachment-not-at-hetzner/attachment/csi-77",
        new Repair(Repair.Action.ATTACH_VOLUME, VOLUME, TARGET, "csi-77", "worker-7"),
        null);
  }

  private RepairRequested moveRequested() {
    return opening(
        "repair-requested-3",
        new NodeRef("worker-1", "worker-1", SERVER, "fsn1"),
        "multi-attach-wait/volume/" + VOLUME,
        new Repair(Repair.Action.MOVE_VOLUME, VOLUME, SERVER, null, "worker-7"),
        TARGET);
  }

  /** A repair's opening, asked by alice, of the volume {@code shop/data-0} uses. */
  private RepairRequested opening(
      String messageId, NodeRef node, String findingId, Repair repair, Long targetServerId) {
    return new RepairRequested(
        messageId,
        REPAIR,
        now,
        node,
        findingId,
        repair,
        "alice",
        new HeldVolume(VOLUME, "pv-" + VOLUME, new ClaimRef("shop", "data-0"), "fsn1", List.of()),
        targetServerId);
  }

  private void receive(LifeboatMessage message) {
    Outcome outcome = saga.apply(state, message, now, Conditions.CALM);
    state = outcome.state();
    sent.addAll(outcome.messages());
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

  private <T> T only(Class<T> type) {
    List<T> of = sentOf(type);
    assertThat(of).as("%s sent", type.getSimpleName()).hasSize(1);
    return of.get(0);
  }

  private static String id() {
    return MessageIds.random();
  }
}
