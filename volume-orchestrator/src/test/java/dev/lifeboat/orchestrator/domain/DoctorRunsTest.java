package dev.lifeboat.orchestrator.domain;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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

  /** What the owner sends at that time, as it lands on the topic. */
  private List<DoctorMessage> due(DoctorRuns runs, Instant now) {
    List<DoctorMessage> sent = runs.due(now, Doctor.Busy::none);
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
    HetznerSnapshot hetzner =
        new HetznerSnapshot(
            at,
            List.of(
                new HetznerSnapshot.Server(101, "w-1", "running", "fsn1"),
                new HetznerSnapshot.Server(102, "old-worker", "off", "fsn1"),
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
