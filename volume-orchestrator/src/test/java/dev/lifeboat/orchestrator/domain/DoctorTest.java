package dev.lifeboat.orchestrator.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.events.doctor.ClusterSnapshot;
import dev.lifeboat.events.doctor.Finding;
import dev.lifeboat.events.doctor.FindingKind;
import dev.lifeboat.events.doctor.HetznerSnapshot;
import dev.lifeboat.events.doctor.Repair;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the doctor finds in worlds where the cluster and Hetzner disagree, and what it offers. */
class DoctorTest {

  private static final Instant T0 = Instant.parse("2026-12-03T10:00:00Z");

  private final Doctor doctor = new Doctor(Doctor.Settings.defaults());
  private Worlds world;

  /** Three workers in fsn1, the first two with a StatefulSet volume each, all in order. */
  @BeforeEach
  void healthyWorld() {
    world = new Worlds(T0);
    world.node("w-1", 101L, "fsn1", true, null, 1);
    world.node("w-2", 102L, "fsn1", true, null, 1);
    world.node("w-3", 103L, "fsn1", true, null, 0);
    world.server(101, "running").server(102, "running").server(103, "running");
    world.healthyVolume(201, "w-1", 101).healthyVolume(202, "w-2", 102);
  }

  @Test
  void aWorldInOrderHasNoFindingAndTheHeadroomOfItsBiggestNode() {
    Doctor.Examination exam = examine(List.of());

    assertThat(exam.findings()).isEmpty();
    assertThat(exam.settling()).isEmpty();
    assertThat(exam.headroom().remaining()).isEqualTo(3500);
    assertThat(exam.headroom().volumes()).isEqualTo(1);
    assertThat(exam.headroom().needed()).isEqualTo(Drill.REQUESTS_PER_ACTION * 3);
  }

  @Test
  void aVolumeOnAServerThatIsOffWithoutNodeIsDetachedOnlyOnceItHasLasted() {
    world.removeNode("w-1").server(101, "off");

    Doctor.Examination first = examine(List.of());
    assertThat(first.findings()).isEmpty();
    assertThat(first.settling())
        .extracting(Finding::kind)
        .containsExactly(FindingKind.VOLUME_ON_SERVER_WITHOUT_NODE);

    world.at(T0.plus(Duration.ofMinutes(2)));
    Finding finding = only(examine(first.all()), FindingKind.VOLUME_ON_SERVER_WITHOUT_NODE);

    assertThat(finding.since()).isEqualTo(T0);
    assertThat(finding.objects()).contains("volume/201", "server/101", "pv/pv-201");
    assertThat(finding.hetzner()).contains("volume 201", "server 101", "off", "no node");
    assertThat(finding.repair())
        .isEqualTo(new Repair(Repair.Action.DETACH_VOLUME, 201, 101L, null, null));
  }

  @Test
  void aVolumeOnARunningServerWithoutNodeIsReportedWithoutRepair() {
    world.removeNode("w-1");

    Finding finding = only(examineLater(), FindingKind.VOLUME_ON_SERVER_WITHOUT_NODE);

    assertThat(finding.repair()).isNull();
    assertThat(finding.noRepairBecause()).contains("server 101 is running");
  }

  @Test
  void whatARunningIncidentHoldsIsLeftToIt() {
    world.removeNode("w-1").server(101, "off");

    Doctor.Examination exam =
        doctor.examine(
            world.cluster(),
            world.hetzner(),
            new Doctor.Busy(Set.of("w-1"), Set.of(201L)),
            List.of(earlier(FindingKind.VOLUME_ON_SERVER_WITHOUT_NODE, "volume/201")));

    assertThat(exam.all())
        .extracting(Finding::kind)
        .doesNotContain(FindingKind.VOLUME_ON_SERVER_WITHOUT_NODE);
  }

  @Test
  void anAttachmentToAVolumeOnNoServerIsRepairedByAttachingItWhereItSays() {
    world.volume(201, "fsn1", null, true);

    Finding finding = only(examineLater(), FindingKind.ATTACHMENT_NOT_AT_HETZNER);

    assertThat(finding.cluster()).contains("va-201", "pv-201", "w-1", "server 101");
    assertThat(finding.hetzner()).contains("volume 201 is attached to no server");
    assertThat(finding.repair())
        .isEqualTo(new Repair(Repair.Action.ATTACH_VOLUME, 201, 101L, "va-201", "w-1"));
  }

  @Test
  void anAttachmentToAVolumeOnNoServerHasNoRepairWhileItsNodesServerDoesNotRun() {
    world.volume(201, "fsn1", null, true).server(101, "off");

    Finding finding = only(examineLater(), FindingKind.ATTACHMENT_NOT_AT_HETZNER);

    assertThat(finding.repair()).isNull();
    assertThat(finding.noRepairBecause()).contains("server 101").contains("off");
  }

  @Test
  void anAttachmentToAVolumeOnAnotherServerMovesItOnlyFromAServerThatIsOffAndNotReady() {
    world.volume(201, "fsn1", 103L, true);

    Finding running = only(examineLater(), FindingKind.ATTACHMENT_NOT_AT_HETZNER);
    assertThat(running.repair()).isNull();
    assertThat(running.noRepairBecause()).contains("node w-3", "Ready");

    world.server(103, "off").node("w-3", 103L, "fsn1", false, null, 1);
    Finding off = only(examineLater(), FindingKind.ATTACHMENT_NOT_AT_HETZNER);
    assertThat(off.repair())
        .isEqualTo(new Repair(Repair.Action.MOVE_VOLUME, 201, 103L, null, "w-1"));
  }

  @Test
  void aPodWaitingLongForAVolumeAttachedElsewhereIsAMultiAttachWait() {
    world.volume(202, "fsn1", 101L, true).attachment("va-202", "pv-202", "w-2", false);
    world.pod("db", "db-1", "w-2", T0.minus(Duration.ofMinutes(6)), false, "pv-202");

    Doctor.Examination exam = examine(List.of());
    Finding finding = only(exam, FindingKind.MULTI_ATTACH_WAIT);

    assertThat(finding.since()).isEqualTo(T0.minus(Duration.ofMinutes(6)));
    assertThat(finding.objects()).contains("pod/db/db-1", "node/w-2", "volume/202", "server/101");
    assertThat(finding.cluster()).contains("ContainerCreating", "pv-202");
    assertThat(finding.repair()).isNull();
    assertThat(finding.noRepairBecause()).contains("node w-1", "Ready");

    world.node("w-1", 101L, "fsn1", false, null, 2).server(101, "off");
    assertThat(only(examine(List.of()), FindingKind.MULTI_ATTACH_WAIT).repair())
        .isEqualTo(new Repair(Repair.Action.MOVE_VOLUME, 202, 101L, null, "w-2"));
  }

  /**
   * A pod waits for a volume that a server without a Node holds: one finding, the wait (kind 3),
   * whose move includes what kind 1's detach would do; not the same volume reported twice.
   */
  @Test
  void aWaitForAVolumeOnAServerWithoutNodeIsOneFindingThatMovesItOnceTheServerIsOff() {
    world.server(109, "running").volume(209, "fsn1", 109L, true);
    world.persistentVolume("pv-209", 209, "Retain", "db/data-db-9", "db/db");
    world.attachment("va-209", "pv-209", "w-3", false);
    world.pod("db", "db-9", "w-3", T0.minus(Duration.ofMinutes(6)), false, "pv-209");

    Doctor.Examination running = examineLater();
    assertThat(running.findings())
        .filteredOn(f -> f.objects().contains("volume/209"))
        .extracting(Finding::kind)
        .containsExactly(FindingKind.MULTI_ATTACH_WAIT);
    Finding waits = only(running, FindingKind.MULTI_ATTACH_WAIT);
    assertThat(waits.repair()).isNull();
    assertThat(waits.noRepairBecause()).contains("server 109 is running");

    world.server(109, "off");
    Doctor.Examination off = examineLater();
    assertThat(off.findings())
        .filteredOn(f -> f.objects().contains("volume/209"))
        .extracting(Finding::kind)
        .containsExactly(FindingKind.MULTI_ATTACH_WAIT);
    assertThat(only(off, FindingKind.MULTI_ATTACH_WAIT).repair())
        .isEqualTo(new Repair(Repair.Action.MOVE_VOLUME, 209, 109L, null, "w-3"));
  }

  @Test
  void aPodThatWaitedLessThanTheThresholdIsNoFinding() {
    world.volume(202, "fsn1", 101L, true).attachment("va-202", "pv-202", "w-2", false);
    world.pod("db", "db-1", "w-2", T0.minus(Duration.ofMinutes(4)), false, "pv-202");

    assertThat(examine(List.of()).all())
        .extracting(Finding::kind)
        .doesNotContain(FindingKind.MULTI_ATTACH_WAIT);
  }

  @Test
  void aVolumeOnlyOneSideKnowsIsReportedFromEitherSide() {
    world.removeVolume(202).volume(301, "fsn1", 999L, true);

    Doctor.Examination exam = examine(List.of());

    Finding missing = only(exam, FindingKind.VOLUME_MISSING_AT_HETZNER);
    assertThat(missing.objects()).contains("pv/pv-202", "volume/202", "claim/db/data-db-1");
    assertThat(missing.hetzner()).contains("no volume 202");
    Finding orphan = only(exam, FindingKind.VOLUME_WITHOUT_PERSISTENT_VOLUME);
    assertThat(orphan.objects()).containsExactly("volume/301");
    assertThat(orphan.hetzner()).contains("server 999", "may belong to something else");
    assertThat(exam.findings()).allMatch(f -> f.repair() == null);
  }

  @Test
  void aLocationFilledToTheVolumeLimitWarnsBeforeAnyLoss() {
    world.node("w-2", 102L, "fsn1", true, null, 16).node("w-3", 103L, "fsn1", true, null, 16);

    Finding finding = only(examine(List.of()), FindingKind.NO_ROOM_AFTER_LOSS);

    assertThat(finding.id()).isEqualTo("no-room-after-loss/node/w-1");
    assertThat(finding.objects()).containsExactly("node/w-1", "volume/201");
    assertThat(finding.cluster())
        .contains("1 of 1 in fsn1", "room for 0", "w-2: 16 volumes", "w-3: 16 volumes");
  }

  @Test
  void aLocationWithTooLittleRoomButNoFullNodeSaysOnlyHowMuchRoomThereIs() {
    world.node("w-2", 102L, "fsn1", true, null, 15).node("w-3", 103L, "fsn1", true, null, 15);
    world.healthyVolume(203, "w-1", 101).healthyVolume(204, "w-1", 101);

    Finding finding = only(examine(List.of()), FindingKind.NO_ROOM_AFTER_LOSS);

    assertThat(finding.objects()).containsExactly("node/w-1", "volume/204");
    assertThat(finding.cluster())
        .endsWith("1 of 3 in fsn1 would find no node: room for 2 on the other nodes");
  }

  @Test
  void theCapacityWarningNamesEveryReasonANodeTakesNoVolume() {
    world.node("w-2", 102L, "fsn1", false, null, 1);
    world.node("w-3", 103L, "fsn1", true, "cordoned", 0);

    Finding finding = only(examine(List.of()), FindingKind.NO_ROOM_AFTER_LOSS);

    assertThat(finding.cluster()).contains("w-2: not Ready", "w-3: cordoned");
  }

  @Test
  void aNodeAloneInItsLocationHasNoWhereToGo() {
    world.node("w-9", 109L, "nbg1", true, null, 1).server(109, "running");
    world.healthyVolume(209, "w-9", 109).volume(209, "nbg1", 109L, true);

    Finding finding = only(examine(List.of()), FindingKind.NO_ROOM_AFTER_LOSS);

    assertThat(finding.cluster()).contains("w-9", "no other node is in nbg1");
  }

  @Test
  void aBudgetBelowWhatTheBiggestNodeNeedsIsAFinding() {
    world.budget(3600, 5);

    Doctor.Examination exam = examine(List.of());

    Finding finding = only(exam, FindingKind.RATE_BUDGET_SHORT);
    assertThat(finding.hetzner()).contains("left 5 of 3600");
    assertThat(finding.cluster())
        .contains("w-1", "1 volumes", String.valueOf(exam.headroom().needed()));
  }

  @Test
  void withoutAnyAnswerYetTheHeadroomIsUnknownAndNoFinding() {
    world.noBudget();

    Doctor.Examination exam = examine(List.of());

    assertThat(exam.headroom().remaining()).isNull();
    assertThat(exam.findings()).isEmpty();
  }

  @Test
  void dataLossTrapsComeWithTheCommandThatRemovesThem() {
    world.persistentVolume("pv-201", 201, "Delete", "db/data-db-0", "db/db");
    world.persistentVolume("pv-202", 202, "Delete", "db/scratch", null);
    world.volume(202, "fsn1", 102L, false);

    Doctor.Examination exam = examine(List.of());

    Finding reclaim = only(exam, FindingKind.RECLAIM_POLICY_DELETE);
    assertThat(reclaim.objects()).contains("pv/pv-201", "statefulset/db/db");
    assertThat(reclaim.fix())
        .isEqualTo(
            "kubectl patch pv pv-201 -p '{\"spec\":{\"persistentVolumeReclaimPolicy\":\"Retain\"}}'");
    Finding protection = only(exam, FindingKind.NO_DELETE_PROTECTION);
    assertThat(protection.fix()).isEqualTo("hcloud volume enable-protection 202 delete");
  }

  @Test
  void aRepairGoesAheadOnlyWhileItsFindingStillHolds() {
    world.removeNode("w-1").server(101, "off");
    Finding finding = only(examineLater(), FindingKind.VOLUME_ON_SERVER_WITHOUT_NODE);

    assertThat(doctor.recheck(finding, world.cluster(), world.hetzner(), Doctor.Busy.none()))
        .isEqualTo(new Doctor.Proceed(finding.repair()));

    world.server(101, "running");
    assertThat(doctor.recheck(finding, world.cluster(), world.hetzner(), Doctor.Busy.none()))
        .isEqualTo(
            new Doctor.Refused(
                "server 101 is running: a detach is safe only from a server that is off"));

    world.server(101, "off").volume(201, "fsn1", null, true);
    assertThat(doctor.recheck(finding, world.cluster(), world.hetzner(), Doctor.Busy.none()))
        .isInstanceOfSatisfying(
            Doctor.Refused.class,
            r -> assertThat(r.whatChanged()).contains("no longer holds", "attached to no server"));

    world.volume(201, "fsn1", 101L, true);
    assertThat(
            doctor.recheck(
                finding, world.cluster(), world.hetzner(), new Doctor.Busy(Set.of(), Set.of(201L))))
        .isInstanceOfSatisfying(
            Doctor.Refused.class, r -> assertThat(r.whatChanged()).contains("running incident"));
  }

  @Test
  void aFindingWithoutRepairIsRefusedWithItsReason() {
    world.removeNode("w-1");
    Finding finding = only(examineLater(), FindingKind.VOLUME_ON_SERVER_WITHOUT_NODE);

    assertThat(doctor.recheck(finding, world.cluster(), world.hetzner(), Doctor.Busy.none()))
        .isInstanceOfSatisfying(
            Doctor.Refused.class,
            r -> assertThat(r.whatChanged()).contains("server 101 is running"));
  }

  private Doctor.Examination examine(List<Finding> previous) {
    return doctor.examine(world.cluster(), world.hetzner(), Doctor.Busy.none(), previous);
  }

  /** Two runs, the settle time apart: what has lasted is reported. */
  private Doctor.Examination examineLater() {
    Doctor.Examination first = examine(List.of());
    world.at(world.now.plus(Doctor.Settings.defaults().settle()));
    return examine(first.all());
  }

  private static Finding earlier(FindingKind kind, String subject) {
    return new Finding(
        kind.name().toLowerCase().replace('_', '-') + "/" + subject,
        kind,
        List.of(),
        T0.minus(Duration.ofHours(1)),
        "",
        "",
        null,
        null,
        null);
  }

  private static Finding only(Doctor.Examination exam, FindingKind kind) {
    List<Finding> of = exam.findings().stream().filter(f -> f.kind() == kind).toList();
    assertThat(of).as("findings of kind %s in %s", kind, exam.findings()).hasSize(1);
    return of.get(0);
  }

  /** A world to change one fact at a time. */
  private static final class Worlds {
    Instant now;
    final List<ClusterSnapshot.Node> nodes = new ArrayList<>();
    final List<ClusterSnapshot.Volume> pvs = new ArrayList<>();
    final List<ClusterSnapshot.Attachment> attachments = new ArrayList<>();
    final List<ClusterSnapshot.Pod> pods = new ArrayList<>();
    final List<HetznerSnapshot.Server> servers = new ArrayList<>();
    final List<HetznerSnapshot.Volume> volumes = new ArrayList<>();
    HetznerSnapshot.Budget budget;

    Worlds(Instant now) {
      this.now = now;
      this.budget = new HetznerSnapshot.Budget(3600, 3500, now);
    }

    Worlds at(Instant when) {
      now = when;
      return this;
    }

    Worlds node(
        String name, Long serverId, String location, boolean ready, String refuses, int volumes) {
      nodes.removeIf(n -> n.name().equals(name));
      nodes.add(new ClusterSnapshot.Node(name, serverId, location, ready, refuses, null, volumes));
      return this;
    }

    Worlds removeNode(String name) {
      nodes.removeIf(n -> n.name().equals(name));
      return this;
    }

    Worlds server(long id, String status) {
      servers.removeIf(s -> s.id() == id);
      servers.add(new HetznerSnapshot.Server(id, "server-" + id, status, "fsn1"));
      return this;
    }

    Worlds volume(long id, String location, Long serverId, boolean protectedFromDelete) {
      volumes.removeIf(v -> v.id() == id);
      volumes.add(
          new HetznerSnapshot.Volume(id, "vol-" + id, location, serverId, protectedFromDelete));
      return this;
    }

    Worlds removeVolume(long id) {
      volumes.removeIf(v -> v.id() == id);
      return this;
    }

    Worlds persistentVolume(
        String name, long volumeId, String policy, String claim, String statefulSet) {
      pvs.removeIf(pv -> pv.name().equals(name));
      pvs.add(new ClusterSnapshot.Volume(name, volumeId, "fsn1", policy, claim, statefulSet));
      return this;
    }

    Worlds attachment(String name, String pv, String node, boolean attached) {
      attachments.removeIf(a -> a.name().equals(name));
      attachments.add(new ClusterSnapshot.Attachment(name, pv, node, attached, T0));
      return this;
    }

    Worlds pod(
        String namespace, String name, String node, Instant scheduled, boolean ready, String pv) {
      pods.removeIf(p -> p.name().equals(name));
      pods.add(
          new ClusterSnapshot.Pod(
              namespace,
              name,
              node,
              scheduled,
              ready,
              ready ? null : "ContainerCreating",
              List.of(pv)));
      return this;
    }

    /** A protected volume with a Retain PV of StatefulSet db, attached and used on its node. */
    Worlds healthyVolume(long id, String node, long serverId) {
      int ordinal = (int) (id % 100) - 1;
      volume(id, "fsn1", serverId, true);
      persistentVolume("pv-" + id, id, "Retain", "db/data-db-" + ordinal, "db/db");
      attachment("va-" + id, "pv-" + id, node, true);
      return pod("db", "db-" + ordinal, node, T0.minus(Duration.ofDays(1)), true, "pv-" + id);
    }

    Worlds budget(int limit, int remaining) {
      budget = new HetznerSnapshot.Budget(limit, remaining, now);
      return this;
    }

    Worlds noBudget() {
      budget = null;
      return this;
    }

    ClusterSnapshot cluster() {
      return new ClusterSnapshot(now, nodes, pvs, attachments, pods);
    }

    HetznerSnapshot hetzner() {
      return new HetznerSnapshot(now, servers, volumes, budget);
    }
  }
}
