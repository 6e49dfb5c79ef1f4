package dev.lifeboat.audit.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.events.FailureCodes;
import dev.lifeboat.events.IncidentId;
import dev.lifeboat.events.LifeboatMessage;
import dev.lifeboat.events.MessageIds;
import dev.lifeboat.events.node.ClaimRef;
import dev.lifeboat.events.node.GoneReason;
import dev.lifeboat.events.node.HeldVolume;
import dev.lifeboat.events.node.NodeGone;
import dev.lifeboat.events.node.NodeRef;
import dev.lifeboat.events.node.PodRef;
import dev.lifeboat.events.node.RemovalRequested;
import dev.lifeboat.events.node.ServerDisposal;
import dev.lifeboat.events.saga.IncidentCancelled;
import dev.lifeboat.events.saga.IncidentHeld;
import dev.lifeboat.events.saga.IncidentStatus;
import dev.lifeboat.events.saga.RetryScheduled;
import dev.lifeboat.events.saga.Step;
import dev.lifeboat.events.saga.StepFailed;
import dev.lifeboat.events.saga.StepStarted;
import dev.lifeboat.events.saga.StepSucceeded;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The incident's status as the projector reads it from the saga's own events. */
class IncidentProjectorTest {

  private static final Instant T0 = Instant.parse("2026-11-26T03:00:00Z");
  private static final NodeRef NODE = new NodeRef("worker-2", "uid-2", 4202, "fsn1");
  private static final String INCIDENT = IncidentId.forNode(NODE.name(), NODE.uid());

  private final List<LifeboatMessage> messages = new ArrayList<>();

  @Test
  void anIncidentIsHeldOnlyByItsHeldEventAndRunsAgainWhenAPersonResumesIt() {
    add(gone());
    add(
        new IncidentHeld(
            MessageIds.random(),
            INCIDENT,
            T0.plusSeconds(1),
            FailureCodes.FENCING_CAP,
            "2 incidents are fencing"));
    assertThat(status()).isEqualTo(IncidentStatus.HELD.name());

    add(
        new StepStarted(
            MessageIds.random(), INCIDENT, T0.plusSeconds(9), Step.FENCE, null, 1, "c"));
    assertThat(status()).isEqualTo(IncidentStatus.RUNNING.name());
  }

  @Test
  void anEndedIncidentWhoseStepsStartAgainRunsAgain() {
    add(gone());
    add(
        new IncidentCancelled(
            MessageIds.random(), INCIDENT, T0.plusSeconds(1), "dry run: no command was sent"));
    assertThat(status()).isEqualTo(IncidentStatus.CANCELLED.name());

    // Switched to live while the node is still lost: the same incident runs again.
    add(
        new StepStarted(
            MessageIds.random(), INCIDENT, T0.plusSeconds(60), Step.PRE_FLIGHT, null, 1, null));
    assertThat(status()).isEqualTo(IncidentStatus.RUNNING.name());
  }

  @Test
  void aFenceThatFailsAndIsRetriedDoesNotHoldTheIncident() {
    add(gone());
    add(
        new StepStarted(
            MessageIds.random(), INCIDENT, T0.plusSeconds(1), Step.FENCE, null, 1, "c"));
    // The code of a hold, on a fence failure: only IncidentHeld holds an incident.
    add(
        new StepFailed(
            MessageIds.random(),
            INCIDENT,
            T0.plusSeconds(2),
            Step.FENCE,
            null,
            1,
            FailureCodes.FENCING_CAP,
            "locked",
            false));
    add(
        new RetryScheduled(
            MessageIds.random(),
            INCIDENT,
            T0.plusSeconds(2),
            Step.FENCE,
            null,
            2,
            T0.plusSeconds(3),
            "locked"));

    assertThat(status()).isEqualTo(IncidentStatus.RUNNING.name());
  }

  @Test
  void aRemovalIsOfItsOwnKindAndTheNodeIsEmptiedAtItsLastDetach() {
    String removal = IncidentId.forRemoval(NODE.name(), NODE.uid());
    NodeGone inventory = gone();
    add(
        new RemovalRequested(
            MessageIds.random(),
            removal,
            T0,
            NODE,
            ServerDisposal.DELETE,
            "test",
            List.of(volume(11), volume(12)),
            inventory.eligibleNodes(),
            Map.of(),
            6));
    add(
        new StepSucceeded(
            MessageIds.random(), removal, T0.plusSeconds(9), Step.DETACH, 12L, 1, ""));
    add(
        new StepSucceeded(
            MessageIds.random(), removal, T0.plusSeconds(5), Step.DETACH, 11L, 1, ""));
    // FINISH's drain is a step of the node, not a detach: it does not move the moment.
    add(
        new StepSucceeded(
            MessageIds.random(), removal, T0.plusSeconds(12), Step.FINISH, null, 1, ""));

    IncidentProjection.Incident incident = project(removal).incident();

    assertThat(incident.kind()).isEqualTo(IncidentProjector.REMOVAL);
    assertThat(incident.reason()).isEqualTo(GoneReason.REMOVAL_REQUESTED.name());
    assertThat(incident.emptiedAt()).isEqualTo(T0.plusSeconds(9));
    assertThat(incident.volumesTotal()).isEqualTo(2);
  }

  @Test
  void aLossIsOfKindLoss() {
    add(gone());
    assertThat(project(INCIDENT).incident().kind()).isEqualTo(IncidentProjector.LOSS);
    assertThat(project(INCIDENT).incident().emptiedAt()).isNull();
  }

  private static HeldVolume volume(long id) {
    return new HeldVolume(
        id,
        "pv-" + id,
        new ClaimRef("shop", "data-" + id),
        "fsn1",
        List.of(new PodRef("shop", "db-" + id, "uid-" + id, "StatefulSet", "db")));
  }

  private static NodeGone gone() {
    return new NodeGone(
        MessageIds.random(),
        INCIDENT,
        T0,
        NODE,
        GoneReason.LEASE_EXPIRED,
        List.of(),
        Map.of(),
        Map.of(),
        6);
  }

  private void add(LifeboatMessage message) {
    messages.add(message);
  }

  private String status() {
    return project(INCIDENT).incident().status();
  }

  private IncidentProjection project(String incidentId) {
    List<Entry> entries = new ArrayList<>();
    for (int i = 0; i < messages.size(); i++) {
      entries.add(new Entry(i, "lifeboat.saga-events", messages.get(i)));
    }
    return IncidentProjector.project(incidentId, entries);
  }
}
