package dev.lifeboat.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.events.MessageIds;
import dev.lifeboat.events.SampleMessages;
import dev.lifeboat.events.Topic;
import dev.lifeboat.events.doctor.ClusterSnapshotTaken;
import dev.lifeboat.events.doctor.DoctorMessage;
import dev.lifeboat.events.doctor.DoctorReport;
import dev.lifeboat.events.doctor.DoctorRunRequested;
import dev.lifeboat.events.doctor.Finding;
import dev.lifeboat.events.doctor.FindingKind;
import dev.lifeboat.events.doctor.HetznerSnapshot;
import dev.lifeboat.events.doctor.HetznerSnapshotTaken;
import dev.lifeboat.testkit.KafkaBrokerResource;
import dev.lifeboat.testkit.LifeboatTopics;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The doctor on the real broker: the orchestrator asks for a run at start, and compares a run once
 * both sides have answered it on the {@code doctor} topic, reporting there.
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
class DoctorDeskTest {

  private static LifeboatTopics topics;

  @BeforeAll
  static void open() {
    topics = LifeboatTopics.onSharedBroker();
  }

  @AfterAll
  static void close() {
    topics.close();
  }

  @Test
  void theOrchestratorAsksForARunOnSchedule() {
    DoctorRunRequested scheduled =
        topics.awaitMessage(
            Topic.DOCTOR, DoctorRunRequested.class, r -> r.requestedBy().equals("schedule"));

    assertThat(scheduled.incidentId()).isEqualTo(DoctorMessage.KEY);
  }

  @Test
  void aRunAnsweredByBothSidesIsReportedWithWhatTheDoctorFinds() {
    Instant now = Instant.now();
    String runId = MessageIds.random();
    topics.send(new DoctorRunRequested(MessageIds.random(), DoctorMessage.KEY, now, runId, "test"));
    topics.send(
        new ClusterSnapshotTaken(
            MessageIds.random(),
            DoctorMessage.KEY,
            now,
            runId,
            SampleMessages.clusterSnapshot(),
            null));
    HetznerSnapshot project = SampleMessages.hetznerSnapshot();
    List<HetznerSnapshot.Volume> volumes = new ArrayList<>(project.volumes());
    volumes.add(new HetznerSnapshot.Volume(777001, "left-over", "fsn1", null, true));
    topics.send(
        new HetznerSnapshotTaken(
            MessageIds.random(),
            DoctorMessage.KEY,
            now,
            runId,
            new HetznerSnapshot(now, project.servers(), volumes, project.budget()),
            null));

    DoctorReport report =
        topics.awaitMessage(Topic.DOCTOR, DoctorReport.class, r -> r.runId().equals(runId));

    assertThat(report.compared()).isTrue();
    assertThat(report.requestedBy()).isEqualTo("test");
    assertThat(report.findings())
        .extracting(Finding::kind, f -> f.objects().get(0))
        .contains(
            org.assertj.core.groups.Tuple.tuple(
                FindingKind.VOLUME_WITHOUT_PERSISTENT_VOLUME, "volume/777001"));
  }

  @Test
  void aRunThatASideCannotAnswerIsReportedFailedWithItsReason() {
    Instant now = Instant.now();
    String runId = MessageIds.random();
    topics.send(new DoctorRunRequested(MessageIds.random(), DoctorMessage.KEY, now, runId, "test"));
    topics.send(
        new ClusterSnapshotTaken(
            MessageIds.random(),
            DoctorMessage.KEY,
            now,
            runId,
            null,
            "a watch of the API server is down"));

    DoctorReport report =
        topics.awaitMessage(Topic.DOCTOR, DoctorReport.class, r -> r.runId().equals(runId));

    assertThat(report.compared()).isFalse();
    assertThat(report.failure()).isEqualTo("node-watcher: a watch of the API server is down");
  }
}
