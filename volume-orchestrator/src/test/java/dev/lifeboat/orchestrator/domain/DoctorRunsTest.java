package dev.lifeboat.orchestrator.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.events.IncidentId;
import dev.lifeboat.events.LifeboatMessage;
import dev.lifeboat.events.MessageIds;
import dev.lifeboat.events.doctor.ClusterSnapshot;
import dev.lifeboat.events.doctor.ClusterSnapshotTaken;
import dev.lifeboat.events.doctor.DoctorMessage;
import dev.lifeboat.events.doctor.DoctorReport;
import dev.lifeboat.events.doctor.DoctorRunRequested;
import dev.lifeboat.events.doctor.Finding;
import dev.lifeboat.events.doctor.FindingKind;
import dev.lifeboat.events.doctor.HetznerSnapshot;
import dev.lifeboat.events.doctor.HetznerSnapshotTaken;
import dev.lifeboat.events.doctor.Repair;
import dev.lifeboat.events.doctor.RepairAnswered;
import dev.lifeboat.events.doctor.RepairAsked;
import dev.lifeboat.events.node.RepairRequested;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The doctor's runs as the owner of its partition keeps them: asked for on schedule, reported once
 * both sides answered, failed when a side fails or stays silent, and known again by a new owner
 * from the topic alone.
 */
class DoctorRunsTest {

  private static final Instant T0 = Instant.parse("2026-12-03T10:00:00Z");
  private static final Duration INTERVAL = Duration.ofMinutes(10);
  private static final Duration ANSWER_WITHIN = Duration.ofMinutes(1);

  private final List<DoctorMessage> topic = new ArrayList<>();

  private DoctorRuns owner() {
    return new DoctorRuns(new Doctor(Doctor.Settings.defaults()), INTERVAL, ANSWER_WITHIN);
  }

  /** The repairs' sagas the owner opened, on the node events. */
  private final List<RepairRequested> opened = new ArrayList<>();

  /** What the owner sends at that time to the doctor topic, as it lands there. */
  private List<DoctorMessage> due(DoctorRuns runs, Instant now) {
    List<DoctorMessage> sent = new ArrayList<>();
    for (LifeboatMessage message : runs.due(now, Doctor.Busy::none)) {
      if (message instanceof DoctorMessage doctor) {
        sent.add(doctor);
      } else {
        opened.add((RepairRequested) message);
      }
    }
    topic.addAll(sent);
    return sent;
  }

  @Test
  void aRunIsAskedForAtOnceAndThenOncePerInterval() {
    DoctorRuns runs = owner();

    DoctorRunRequested first = only(due(runs, T0), DoctorRunRequested.class);
    assertThat(first.requestedBy()).isEqualTo("schedule");
    assertThat(first.incidentId()).isEqualTo(DoctorMessage.KEY);
    assertThat(due(runs, T0.plusSeconds(30))).isEmpty();
    runs.read(answeredCluster(first, T0.plusSeconds(1)));
    runs.read(answeredHetzner(first, T0.plusSeconds(2)));
    assertThat(only(due(runs, T0.plusSeconds(3)), DoctorReport.class).runId())
        .isEqualTo(first.runId());
    assertThat(due(runs, T0.plus(INTERVAL).minusSeconds(1))).isEmpty();

    DoctorRunRequested second = only(due(runs, T0.plus(INTERVAL)), DoctorRunRequested.class);
    assertThat(second.runId()).isNotEqualTo(first.runId());
  }

  @Test
  void aRunAnsweredByBothSidesIsReportedOnceWithWhatTheDoctorFinds() {
    DoctorRuns runs = owner();
    DoctorRunRequested run = runs.ask(T0, "api");

    runs.read(answeredCluster(run, T0.plusSeconds(1)));
    assertThat(reports(due(runs, T0.plusSeconds(2)))).isEmpty();
    runs.read(answeredHetzner(run, T0.plusSeconds(2)));
    DoctorReport report = only(reports(due(runs, T0.plusSeconds(3))), DoctorReport.class);

    assertThat(report.compared()).isTrue();
    assertThat(report.requestedBy()).isEqualTo("api");
    assertThat(report.findings())
        .extracting(Finding::kind)
        .containsExactly(FindingKind.VOLUME_WITHOUT_PERSISTENT_VOLUME);
    assertThat(report.settling())
        .extracting(Finding::kind)
        .containsExactly(FindingKind.VOLUME_ON_SERVER_WITHOUT_NODE);
    assertThat(report.headroom().remaining()).isEqualTo(3500);
    assertThat(reports(due(runs, T0.plusSeconds(4)))).isEmpty();
  }

  @Test
  void whatSettlesIsCountedFromTheReportBeforeSoItIsReportedOnceItHasLasted() {
    DoctorRuns runs = owner();
    DoctorRunRequested first = runs.ask(T0, "schedule");
    runs.read(answeredCluster(first, T0));
    runs.read(answeredHetzner(first, T0));
    due(runs, T0.plusSeconds(1));

    Instant later = T0.plus(Duration.ofMinutes(3));
    DoctorRunRequested second = runs.ask(later, "schedule");
    runs.read(answeredCluster(second, later));
    runs.read(answeredHetzner(second, later));
    DoctorReport report = only(reports(due(runs, later.plusSeconds(1))), DoctorReport.class);

    Finding settled = only(report.findings(), FindingKind.VOLUME_ON_SERVER_WITHOUT_NODE);
    assertThat(settled.since()).isEqualTo(T0);
    assertThat(report.settling()).isEmpty();
  }

  @Test
  void aSideThatCannotSayFailsTheRunAtOnceNamingIt() {
    DoctorRuns runs = owner();
    DoctorRunRequested run = runs.ask(T0, "schedule");

    runs.read(
        new HetznerSnapshotTaken(
            MessageIds.random(),
            DoctorMessage.KEY,
            T0.plusSeconds(1),
            run.runId(),
            null,
            "the Hetzner API could not be read: unavailable (HTTP 503): down"));
    DoctorReport report = only(reports(due(runs, T0.plusSeconds(2))), DoctorReport.class);

    assertThat(report.compared()).isFalse();
    assertThat(report.failure()).startsWith("hcloud-adapter: the Hetzner API could not be read");
    assertThat(report.findings()).isEmpty();
    assertThat(report.headroom()).isNull();
  }

  @Test
  void aRunWithoutAnAnswerInTimeFailsNamingTheSilentSide() {
    DoctorRuns runs = owner();
    DoctorRunRequested run = runs.ask(T0, "schedule");
    runs.read(answeredHetzner(run, T0.plusSeconds(1)));

    assertThat(reports(due(runs, T0.plus(ANSWER_WITHIN).minusSeconds(1)))).isEmpty();
    DoctorReport report = only(reports(due(runs, T0.plus(ANSWER_WITHIN))), DoctorReport.class);

    assertThat(report.failure()).isEqualTo("no answer within PT1M from node-watcher");
  }

  @Test
  void aNewOwnerKnowsFromTheTopicWhatWasReportedAndWhenTheLastRunWasAskedFor() {
    DoctorRuns before = owner();
    DoctorRunRequested run = only(due(before, T0), DoctorRunRequested.class);
    topic.add(answeredCluster(run, T0.plusSeconds(1)));
    topic.add(answeredHetzner(run, T0.plusSeconds(1)));
    before.read(topic.get(1));
    before.read(topic.get(2));
    due(before, T0.plusSeconds(2));
    // A second run, asked for and answered, that the old owner did not report before it went.
    DoctorRunRequested unreported = before.ask(T0.plusSeconds(60), "api");
    topic.add(unreported);
    topic.add(answeredCluster(unreported, T0.plusSeconds(61)));
    topic.add(answeredHetzner(unreported, T0.plusSeconds(61)));

    DoctorRuns after = owner();
    topic.forEach(after::read);
    assertThat(after.lastCompared()).get().extracting(DoctorReport::runId).isEqualTo(run.runId());
    List<DoctorMessage> sent = due(after, T0.plusSeconds(90));

    assertThat(sent).hasSize(1);
    DoctorReport report = only(reports(sent), DoctorReport.class);
    assertThat(report.runId()).isEqualTo(unreported.runId());
    // The next run is due an interval after the last one asked for, whoever asked.
    Instant next = unreported.occurredAt().plus(INTERVAL);
    assertThat(due(after, next.minusSeconds(1))).isEmpty();
    assertThat(only(due(after, next), DoctorRunRequested.class).requestedBy())
        .isEqualTo("schedule");
  }

  @Test
  void anIntervalOfZeroAsksForNoRunButAnswersTheOnesAskedFor() {
    DoctorRuns runs =
        new DoctorRuns(new Doctor(Doctor.Settings.defaults()), Duration.ZERO, ANSWER_WITHIN);

    assertThat(due(runs, T0)).isEmpty();
    DoctorRunRequested asked =
        new DoctorRunRequested(MessageIds.random(), DoctorMessage.KEY, T0, "run-1", "api");
    runs.read(asked);
    runs.read(answeredCluster(asked, T0));
    runs.read(answeredHetzner(asked, T0));

    assertThat(only(due(runs, T0.plusSeconds(1)), DoctorReport.class).runId()).isEqualTo("run-1");
  }

  // ---- repairs ------------------------------------------------------------------------------

  private static final String STRAY = "volume-on-server-without-node/volume/202";

  /** An owner whose last report names volume 202 on server 102 (off, no node) with its detach. */
  private DoctorRuns ownerWhoReportedTheStrayVolume() {
    DoctorRuns runs = owner();
    DoctorReport report = twoRuns(runs, "off");
    assertThat(only(report.findings(), FindingKind.VOLUME_ON_SERVER_WITHOUT_NODE).id())
        .isEqualTo(STRAY);
    assertThat(opened).as("nothing is repaired unasked by default").isEmpty();
    return runs;
  }

  /**
   * Two scheduled runs 3 minutes apart, server 102 in this status: the second reports what lasted.
   */
  private DoctorReport twoRuns(DoctorRuns runs, String strayStatus) {
    DoctorReport report = null;
    for (Instant at : List.of(T0, T0.plus(Duration.ofMinutes(3)))) {
      DoctorRunRequested run = runs.ask(at, "schedule");
      runs.read(answeredCluster(run, at));
      runs.read(answeredHetzner(run, at, strayStatus));
      report = only(reports(due(runs, at.plusSeconds(1))), DoctorReport.class);
    }
    return report;
  }

  private static DoctorRuns repairingUnasked() {
    return new DoctorRuns(
        new Doctor(Doctor.Settings.defaults()),
        INTERVAL,
        ANSWER_WITHIN,
        Set.of(FindingKind.VOLUME_ON_SERVER_WITHOUT_NODE));
  }

  private static final Instant ASKED = T0.plus(Duration.ofMinutes(4));

  /** A repair asked for on a fresh run, as the audit sends it: the run first, then the request. */
  private static DoctorRunRequested askRepair(DoctorRuns runs, String finding) {
    DoctorRunRequested run =
        new DoctorRunRequested(MessageIds.random(), DoctorMessage.KEY, ASKED, "run-r", "alice");
    runs.read(run);
    runs.read(
        new RepairAsked(
            MessageIds.random(), DoctorMessage.KEY, ASKED, "run-r", "repair-1", finding, "alice"));
    return run;
  }

  private static List<RepairAnswered> answers(List<DoctorMessage> sent) {
    return sent.stream()
        .filter(RepairAnswered.class::isInstance)
        .map(RepairAnswered.class::cast)
        .toList();
  }

  @Test
  void aRepairWhoseFindingStillHoldsOnTheFreshRunOpensItsSagaBeforeItIsAnswered() {
    DoctorRuns runs = ownerWhoReportedTheStrayVolume();
    DoctorRunRequested run = askRepair(runs, STRAY);
    runs.read(answeredCluster(run, ASKED.plusSeconds(1)));
    assertThat(due(runs, ASKED.plusSeconds(1))).isEmpty(); // not before both sides answered
    runs.read(answeredHetzner(run, ASKED.plusSeconds(1)));

    List<DoctorMessage> sent = due(runs, ASKED.plusSeconds(2));

    RepairAnswered answer = answers(sent).get(0);
    assertThat(answer.verdict()).isEqualTo(RepairAnswered.Verdict.STARTED);
    assertThat(answer.repair().action()).isEqualTo(Repair.Action.DETACH_VOLUME);
    assertThat(answer.repairIncidentId()).isEqualTo(IncidentId.forRepair("repair-1"));
    assertThat(sent.get(sent.size() - 1)).isInstanceOf(DoctorReport.class);
    assertThat(opened).hasSize(1);
    RepairRequested saga = opened.get(0);
    assertThat(saga.incidentId()).isEqualTo(answer.repairIncidentId());
    assertThat(saga.node().serverId()).isEqualTo(102);
    assertThat(saga.node().name()).isEqualTo("server-102");
    assertThat(saga.volume().volumeId()).isEqualTo(202);
    assertThat(saga.volume().persistentVolume()).isEqualTo("pv-202");
    assertThat(saga.requestedBy()).isEqualTo("alice");
    assertThat(due(runs, ASKED.plusSeconds(3))).isEmpty(); // answered once
  }

  @Test
  void aRepairWhoseServerRunsAgainOnTheFreshRunIsRefusedNamingItAndOpensNothing() {
    DoctorRuns runs = ownerWhoReportedTheStrayVolume();
    DoctorRunRequested run = askRepair(runs, STRAY);
    runs.read(answeredCluster(run, ASKED.plusSeconds(1)));
    runs.read(answeredHetzner(run, ASKED.plusSeconds(1), "running"));

    RepairAnswered answer = answers(due(runs, ASKED.plusSeconds(2))).get(0);

    assertThat(answer.verdict()).isEqualTo(RepairAnswered.Verdict.REFUSED);
    assertThat(answer.reason()).contains("102").contains("running");
    assertThat(opened).isEmpty();
  }

  @Test
  void aRepairOfAFindingTheLastReportDoesNotHaveIsAnsweredUnknown() {
    DoctorRuns runs = ownerWhoReportedTheStrayVolume();
    DoctorRunRequested run = askRepair(runs, "volume-on-server-without-node/volume/999");
    runs.read(answeredCluster(run, ASKED.plusSeconds(1)));
    runs.read(answeredHetzner(run, ASKED.plusSeconds(1)));

    RepairAnswered answer = answers(due(runs, ASKED.plusSeconds(2))).get(0);

    assertThat(answer.verdict()).isEqualTo(RepairAnswered.Verdict.UNKNOWN_FINDING);
    assertThat(answer.reason()).contains("volume-on-server-without-node/volume/999");
    assertThat(opened).isEmpty();
  }

  @Test
  void aRepairWhoseRunFailsIsAnsweredNotCheckedWithTheReason() {
    DoctorRuns runs = ownerWhoReportedTheStrayVolume();
    DoctorRunRequested run = askRepair(runs, STRAY);
    runs.read(answeredHetzner(run, ASKED.plusSeconds(1)));

    List<DoctorMessage> sent = due(runs, ASKED.plus(ANSWER_WITHIN));

    RepairAnswered answer = answers(sent).get(0);
    assertThat(answer.verdict()).isEqualTo(RepairAnswered.Verdict.NOT_CHECKED);
    assertThat(answer.reason()).contains("node-watcher");
    assertThat(opened).isEmpty();
  }

  @Test
  void aKindSetToBeRepairedUnaskedIsRepairedOnceARunReportsItAndNotWhileItSettles() {
    DoctorRuns runs = repairingUnasked();
    DoctorRunRequested first = runs.ask(T0, "schedule");
    runs.read(answeredCluster(first, T0));
    runs.read(answeredHetzner(first, T0));
    due(runs, T0.plusSeconds(1));
    assertThat(opened).as("settling: not yet").isEmpty();

    Instant later = T0.plus(Duration.ofMinutes(3));
    DoctorRunRequested second = runs.ask(later, "schedule");
    runs.read(answeredCluster(second, later));
    runs.read(answeredHetzner(second, later));
    List<DoctorMessage> sent = due(runs, later.plusSeconds(1));

    assertThat(opened)
        .singleElement()
        .satisfies(
            saga -> {
              assertThat(saga.volume().volumeId()).isEqualTo(202);
              assertThat(saga.requestedBy()).isEqualTo(DoctorRuns.AUTO_REPAIR);
            });
    assertThat(answers(sent))
        .singleElement()
        .satisfies(a -> assertThat(a.verdict()).isEqualTo(RepairAnswered.Verdict.STARTED));
    assertThat(sent.get(sent.size() - 1)).isInstanceOf(DoctorReport.class);
  }

  @Test
  void aKindRepairedUnaskedIsNotRepairedWhileItsServerRuns() {
    DoctorReport report = twoRuns(repairingUnasked(), "running");

    assertThat(only(report.findings(), FindingKind.VOLUME_ON_SERVER_WITHOUT_NODE).repair())
        .isNull();
    assertThat(opened).isEmpty();
  }

  @Test
  void aNewOwnerAnswersARepairItsPredecessorLeftOpenOnceTheRunIsAnswered() {
    DoctorRuns before = ownerWhoReportedTheStrayVolume();
    DoctorRunRequested run = askRepair(before, STRAY);
    DoctorRuns after = owner();
    topic.forEach(after::read);
    after.read(run);
    after.read(
        new RepairAsked(
            MessageIds.random(), DoctorMessage.KEY, ASKED, "run-r", "repair-1", STRAY, "alice"));
    after.read(answeredCluster(run, ASKED.plusSeconds(1)));
    after.read(answeredHetzner(run, ASKED.plusSeconds(1)));

    assertThat(answers(due(after, ASKED.plusSeconds(2))))
        .extracting(RepairAnswered::verdict)
        .containsExactly(RepairAnswered.Verdict.STARTED);
  }

  /**
   * w-1 on server 101 with its volume 201, w-2 on 103 with room; server 102 (off, no node) holds
   * 202; 203 has no PV.
   */
  private static ClusterSnapshotTaken answeredCluster(DoctorRunRequested run, Instant at) {
    ClusterSnapshot cluster =
        new ClusterSnapshot(
            at,
            List.of(
                new ClusterSnapshot.Node("w-1", 101L, "fsn1", true, null, null, 1),
                new ClusterSnapshot.Node("w-2", 103L, "fsn1", true, null, null, 0)),
            List.of(
                new ClusterSnapshot.Volume("pv-201", 201, "fsn1", "Retain", "db/data-0", "db/db"),
                new ClusterSnapshot.Volume("pv-202", 202, "fsn1", "Retain", "db/data-1", "db/db")),
            List.of(new ClusterSnapshot.Attachment("va-201", "pv-201", "w-1", true, T0)),
            List.of(
                new ClusterSnapshot.Pod(
                    "db", "db-0", "w-1", T0.minusSeconds(3600), true, null, List.of("pv-201"))));
    return new ClusterSnapshotTaken(
        MessageIds.random(), DoctorMessage.KEY, at, run.runId(), cluster, null);
  }

  private static HetznerSnapshotTaken answeredHetzner(DoctorRunRequested run, Instant at) {
    return answeredHetzner(run, at, "off");
  }

  /** The Hetzner side, server 102 (no node, holding 202) in this status. */
  private static HetznerSnapshotTaken answeredHetzner(
      DoctorRunRequested run, Instant at, String strayStatus) {
    HetznerSnapshot hetzner =
        new HetznerSnapshot(
            at,
            List.of(
                new HetznerSnapshot.Server(101, "w-1", "running", "fsn1"),
                new HetznerSnapshot.Server(102, "old-worker", strayStatus, "fsn1"),
                new HetznerSnapshot.Server(103, "w-2", "running", "fsn1")),
            List.of(
                new HetznerSnapshot.Volume(201, "pv-201", "fsn1", 101L, true),
                new HetznerSnapshot.Volume(202, "pv-202", "fsn1", 102L, true),
                new HetznerSnapshot.Volume(203, "left-over", "fsn1", null, true)),
            new HetznerSnapshot.Budget(3600, 3500, at));
    return new HetznerSnapshotTaken(
        MessageIds.random(), DoctorMessage.KEY, at, run.runId(), hetzner, null);
  }

  private static List<DoctorMessage> reports(List<DoctorMessage> sent) {
    return sent.stream().filter(DoctorReport.class::isInstance).toList();
  }

  private static <T> T only(List<? extends DoctorMessage> sent, Class<T> type) {
    assertThat(sent).hasSize(1);
    assertThat(sent.get(0)).isInstanceOf(type);
    return type.cast(sent.get(0));
  }

  private static Finding only(List<Finding> findings, FindingKind kind) {
    List<Finding> of = findings.stream().filter(f -> f.kind() == kind).toList();
    assertThat(of).hasSize(1);
    return of.get(0);
  }
}
