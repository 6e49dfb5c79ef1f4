package dev.lifeboat.orchestrator.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.events.hcloud.ObserveServer;
import dev.lifeboat.events.hcloud.ServerObserved;
import dev.lifeboat.events.node.NodeRef;
import dev.lifeboat.events.node.NodeSuspected;
import dev.lifeboat.events.node.SuspicionReason;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which reads of a suspected node's server prove it lost now. */
class LossEvidenceTest {

  private static final Instant T0 = Instant.parse("2026-12-02T10:00:00Z");
  private static final NodeRef NODE = new NodeRef("worker-3", "uid-3", 4203, "fsn1");
  private static final String INCIDENT = "worker-3-abc";

  @ParameterizedTest
  @CsvSource({
    "off, false, true",
    "off, true, false", // an action runs on it: a start may be on its way
    "deleted, false, true",
    "running, false, false",
    "starting, true, false",
    "stopping, true, false"
  })
  void onlyAServerOffWithNothingRunningOnItOrDeletedProvesTheLoss(
      String status, boolean locked, boolean proves) {
    LossEvidence.Suspicion suspicion = suspicion(SuspicionReason.LEASE_OVERDUE);
    ObserveServer read = LossEvidence.read(INCIDENT, suspicion, T0);

    var declare =
        LossEvidence.conclude(INCIDENT, suspicion, answer(read, status, locked), T0.plusSeconds(1));

    assertThat(declare.isPresent()).isEqualTo(proves);
    declare.ifPresent(
        d -> {
          assertThat(d.nodeName()).isEqualTo("worker-3");
          assertThat(d.serverId()).isEqualTo(4203);
          assertThat(d.evidence()).contains("server 4203", status);
          assertThat(d.notAfter()).isEqualTo(T0.plusSeconds(1).plus(LossEvidence.WAIT));
        });
  }

  @Test
  void aSuspicionDeliveredAgainAsksTheSameReadAndEachReasonItsOwn() {
    ObserveServer first = LossEvidence.read(INCIDENT, suspicion(SuspicionReason.LEASE_OVERDUE), T0);
    ObserveServer again =
        LossEvidence.read(INCIDENT, suspicion(SuspicionReason.LEASE_OVERDUE), T0.plusSeconds(3));
    ObserveServer guarded =
        LossEvidence.read(INCIDENT, suspicion(SuspicionReason.STORM_GUARD), T0.plusSeconds(10));

    assertThat(again.commandId()).isEqualTo(first.commandId());
    assertThat(guarded.commandId()).isNotEqualTo(first.commandId());
    assertThat(first.serverId()).isEqualTo(4203);
    assertThat(first.notAfter()).isEqualTo(T0.plus(LossEvidence.WAIT));
  }

  @Test
  void anAnswerToAnotherReadOrAboutAnotherServerProvesNothing() {
    LossEvidence.Suspicion guarded = suspicion(SuspicionReason.STORM_GUARD);
    ObserveServer earlier =
        LossEvidence.read(INCIDENT, suspicion(SuspicionReason.LEASE_OVERDUE), T0);
    ObserveServer read = LossEvidence.read(INCIDENT, guarded, T0);
    ServerObserved otherServer =
        new ServerObserved("m", INCIDENT, T0, read.commandId(), 9999, "off", false);

    assertThat(LossEvidence.conclude(INCIDENT, guarded, answer(earlier, "off", false), T0))
        .isEmpty();
    assertThat(LossEvidence.conclude(INCIDENT, guarded, otherServer, T0)).isEmpty();
  }

  @Test
  void aNodeWithoutAServerOrOnlyNotReadyIsNotRead() {
    NodeRef noServer = new NodeRef("worker-4", "uid-4", 0, "unknown");

    assertThat(LossEvidence.suspicion(suspected(noServer, SuspicionReason.LEASE_OVERDUE)))
        .isEmpty();
    assertThat(LossEvidence.suspicion(suspected(NODE, SuspicionReason.NOT_READY))).isEmpty();
    assertThat(LossEvidence.suspicion(suspected(NODE, SuspicionReason.STORM_GUARD)))
        .contains(suspicion(SuspicionReason.STORM_GUARD));
  }

  private static LossEvidence.Suspicion suspicion(SuspicionReason reason) {
    return LossEvidence.suspicion(suspected(NODE, reason)).orElseThrow();
  }

  private static NodeSuspected suspected(NodeRef node, SuspicionReason reason) {
    return new NodeSuspected("m", INCIDENT, T0, node, reason, T0.minusSeconds(12));
  }

  private static ServerObserved answer(ObserveServer read, String status, boolean locked) {
    return new ServerObserved("m", INCIDENT, T0, read.commandId(), read.serverId(), status, locked);
  }
}
