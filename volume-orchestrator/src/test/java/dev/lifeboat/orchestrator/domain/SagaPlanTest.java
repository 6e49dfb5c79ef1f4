package dev.lifeboat.orchestrator.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.events.IncidentId;
import dev.lifeboat.events.LifeboatMessage;
import dev.lifeboat.events.MessageIds;
import dev.lifeboat.events.hcloud.HcloudCommand;
import dev.lifeboat.events.node.ClaimRef;
import dev.lifeboat.events.node.EligibleNode;
import dev.lifeboat.events.node.GoneReason;
import dev.lifeboat.events.node.HeldVolume;
import dev.lifeboat.events.node.NodeGone;
import dev.lifeboat.events.node.NodeRef;
import dev.lifeboat.events.node.PodRef;
import dev.lifeboat.events.node.RemovalRequested;
import dev.lifeboat.events.node.ServerDisposal;
import dev.lifeboat.events.saga.IncidentCancelled;
import dev.lifeboat.events.saga.IncidentStatus;
import dev.lifeboat.events.saga.Step;
import dev.lifeboat.events.saga.StepSucceeded;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The drill, the dry run and the live saga tell the same story of a lost node: one pre-flight, one
 * step table, for every fencing policy; and of a node removed on purpose, whatever becomes of its
 * server.
 */
class SagaPlanTest {

  private static final Instant T0 = Instant.parse("2026-11-26T03:00:00Z");
  private static final NodeRef NODE = new NodeRef("worker-2", "uid-2", 4202, "fsn1");
  private static final Map<String, String> DISPOSABLE = Map.of("pool", "autoscaled");

  @ParameterizedTest
  @EnumSource(FencePolicy.class)
  void theDrillsPlanAndADryRunsStepsAreTheLiveSagasSteps(FencePolicy fencing) {
    NodeGone gone = gone(fencing);
    SagaPolicy live = policy(fencing, false);

    Cooperative liveRun = new Cooperative(new IncidentSaga(live), gone, T0).run();
    Cooperative dryRun = new Cooperative(new IncidentSaga(policy(fencing, true)), gone, T0).run();
    Drill.Plan drill = new Drill(live, times()).plan(gone);
    SagaPlan plan = SagaPlan.of(live, gone);

    assertThat(liveRun.state.status()).isEqualTo(IncidentStatus.PARTIAL);
    assertThat(dryRun.state.status()).isEqualTo(IncidentStatus.CANCELLED);
    assertThat(dryRun.sent).noneMatch(m -> m instanceof dev.lifeboat.events.Command);
    assertThat(plan.fencing()).isEqualTo(fencing);
    assertThat(drill.fencing()).isEqualTo(fencing.name().toLowerCase(java.util.Locale.ROOT));
    List<Step> incident = new ArrayList<>(List.of(Step.PRE_FLIGHT));
    incident.addAll(plan.incidentSteps());
    assertThat(incident).containsExactly(Step.PRE_FLIGHT, Step.FENCE, Step.RELEASE);
    assertThat(incidentSteps(liveRun.sent)).isEqualTo(incident);
    assertThat(incidentSteps(dryRun.sent)).isEqualTo(incident);
    for (HeldVolume volume : gone.volumes()) {
      List<Step> liveSteps = volumeSteps(liveRun.sent, volume.volumeId());
      SagaPlan.PlannedVolume planned =
          plan.volumes().stream().filter(v -> v.volumeId() == volume.volumeId()).findFirst().get();
      Drill.PlannedVolume drilled =
          drill.volumes().stream().filter(v -> v.volumeId() == volume.volumeId()).findFirst().get();
      assertThat(volumeSteps(dryRun.sent, volume.volumeId()))
          .as("dry run of volume %d", volume.volumeId())
          .isEqualTo(liveSteps);
      assertThat(planned.steps()).as("plan of volume %d", volume.volumeId()).isEqualTo(liveSteps);
      List<String> expectedDrill = new ArrayList<>();
      if (planned.verdict().outcome() != PreFlight.Outcome.SKIPPED) {
        expectedDrill.add(Step.PRE_FLIGHT.name());
      }
      if (planned.moves()) {
        expectedDrill.add(Step.FENCE.name());
      }
      liveSteps.forEach(step -> expectedDrill.add(step.name()));
      assertThat(drilled.steps())
          .as("drill of volume %d", volume.volumeId())
          .isEqualTo(expectedDrill);
    }
    assertThat(volumeSteps(liveRun.sent, 1))
        .containsExactly(Step.DETACH, Step.RELEASE, Step.RESCHEDULE, Step.ATTACH, Step.VERIFY);
  }

  @Test
  void aNodeWithNothingToMoveIsPlannedWithoutAFenceAndTheLiveSagaSendsNothing() {
    NodeGone gone =
        new NodeGone(
            MessageIds.random(),
            IncidentId.forNode(NODE.name(), NODE.uid()),
            T0,
            NODE,
            GoneReason.LEASE_EXPIRED,
            List.of(volume(3, "hel1", null)),
            Map.of("fsn1", List.of(new EligibleNode("worker-3", 4203, "fsn1"))),
            Map.of(),
            6);
    SagaPolicy policy = SagaPolicy.defaults();

    Cooperative live = new Cooperative(new IncidentSaga(policy), gone, T0).run();

    assertThat(SagaPlan.of(policy, gone).fences()).isFalse();
    assertThat(new Drill(policy, times()).plan(gone).fencing()).isEqualTo("none");
    assertThat(incidentSteps(live.sent)).containsExactly(Step.PRE_FLIGHT);
    assertThat(live.sent).noneMatch(m -> m instanceof dev.lifeboat.events.Command);
  }

  @ParameterizedTest
  @EnumSource(ServerDisposal.class)
  void theRemovalDrillPlansTheStepsAndRequestsOfTheLiveRemovalSaga(ServerDisposal then) {
    RemovalRequested request =
        removal(then, volume(1, "fsn1", null), volume(4, "fsn1", null), volume(5, "fsn1", null));
    SagaPolicy policy = SagaPolicy.defaults();

    Cooperative live =
        new Cooperative(new IncidentSaga(policy), request.inventory(), T0).receive(request, true);
    Drill.Plan drill = new Drill(policy, times()).planRemoval(request.inventory(), then);

    assertThat(live.state.status()).isEqualTo(IncidentStatus.COMPLETED);
    assertThat(drill.kind()).isEqualTo("removal");
    assertThat(drill.fencing()).isEqualTo("none");
    assertThat(drill.then()).isEqualTo(then.word());
    assertThat(drill.refused()).isEmpty();
    assertThat(drill.nodeSteps())
        .isEqualTo(incidentSteps(live.sent).stream().map(Step::name).toList());
    for (HeldVolume volume : request.volumes()) {
      List<String> expected = new ArrayList<>(List.of(Step.PRE_FLIGHT.name()));
      volumeSteps(live.sent, volume.volumeId()).forEach(step -> expected.add(step.name()));
      Drill.PlannedVolume drilled =
          drill.volumes().stream().filter(v -> v.volumeId() == volume.volumeId()).findFirst().get();
      assertThat(drilled.steps()).as("volume %d", volume.volumeId()).isEqualTo(expected);
      assertThat(drilled.outcome()).isEqualTo("moves");
      assertThat(drilled.likelyNode()).isEqualTo("worker-3");
    }
    long hetznerCommands = live.sent.stream().filter(m -> m instanceof HcloudCommand).count();
    assertThat(drill.hetznerRequests())
        .as("at most an observation, the action and a poll per Hetzner command the saga sends")
        .isEqualTo(Drill.REQUESTS_PER_ACTION * (int) hetznerCommands);
    assertThat(drill.expectedDuration()).isPositive();
  }

  @Test
  void aRemovalThatPreFlightWouldRefuseIsPlannedAsRefusedForTheSagasOwnReasons() {
    RemovalRequested request =
        removal(
            ServerDisposal.DELETE,
            volume(1, "fsn1", null),
            volume(2, "fsn1", "lifeboat.dev/failover: disabled"),
            volume(3, "hel1", null));
    SagaPolicy policy = SagaPolicy.defaults();

    Cooperative live =
        new Cooperative(new IncidentSaga(policy), request.inventory(), T0).receive(request, true);
    Drill.Plan drill = new Drill(policy, times()).planRemoval(request.inventory(), request.then());

    assertThat(live.state.status()).isEqualTo(IncidentStatus.CANCELLED);
    assertThat(live.sent).noneMatch(m -> m instanceof dev.lifeboat.events.Command);
    assertThat(drill.refused()).hasSize(2);
    IncidentCancelled cancelled =
        live.sent.stream()
            .filter(m -> m instanceof IncidentCancelled)
            .map(m -> (IncidentCancelled) m)
            .findFirst()
            .get();
    assertThat(cancelled.reason())
        .isEqualTo(
            "refused at pre-flight, nothing was done: " + String.join("; ", drill.refused()));
    assertThat(drill.nodeSteps()).containsExactly(Step.PRE_FLIGHT.name());
    assertThat(drill.hetznerRequests()).isZero();
    assertThat(drill.expectedDuration()).isZero();
  }

  private static RemovalRequested removal(ServerDisposal then, HeldVolume... volumes) {
    return new RemovalRequested(
        MessageIds.random(),
        IncidentId.forRemoval(NODE.name(), NODE.uid()),
        T0,
        NODE,
        then,
        "test",
        List.of(volumes),
        Map.of("fsn1", List.of(new EligibleNode("worker-3", 4203, "fsn1")), "hel1", List.of()),
        Map.of(),
        6);
  }

  private static List<Step> incidentSteps(List<LifeboatMessage> sent) {
    return sent.stream()
        .filter(m -> m instanceof StepSucceeded s && s.volumeId() == null)
        .map(m -> ((StepSucceeded) m).step())
        .distinct()
        .toList();
  }

  /** The steps after PRE_FLIGHT that succeeded for a volume, in order. */
  private static List<Step> volumeSteps(List<LifeboatMessage> sent, long volumeId) {
    return sent.stream()
        .filter(
            m ->
                m instanceof StepSucceeded s
                    && s.volumeId() != null
                    && s.volumeId() == volumeId
                    && s.step() != Step.PRE_FLIGHT)
        .map(m -> ((StepSucceeded) m).step())
        .toList();
  }

  private static NodeGone gone(FencePolicy fencing) {
    return new NodeGone(
        MessageIds.random(),
        IncidentId.forNode(NODE.name(), NODE.uid()),
        T0,
        NODE,
        // The cloud controller manager saw the server off: the one reason fencing none accepts.
        GoneReason.SERVER_SHUTDOWN,
        List.of(
            volume(1, "fsn1", null),
            volume(2, "fsn1", "lifeboat.dev/failover: disabled"),
            volume(3, "hel1", null)),
        Map.of("fsn1", List.of(new EligibleNode("worker-3", 4203, "fsn1")), "hel1", List.of()),
        fencing == FencePolicy.DELETE ? DISPOSABLE : Map.of(),
        6);
  }

  private static HeldVolume volume(long id, String location, String skipped) {
    return new HeldVolume(
        id,
        "pv-" + id,
        new ClaimRef("shop", "data-db-" + id),
        location,
        List.of(new PodRef("shop", "db-" + id, "uid-" + id, "StatefulSet", "db")),
        skipped);
  }

  private static SagaPolicy policy(FencePolicy fencing, boolean dryRun) {
    SagaPolicy defaults = SagaPolicy.defaults();
    return new SagaPolicy(
        fencing == FencePolicy.DELETE ? FencePolicy.POWEROFF : fencing,
        fencing == FencePolicy.DELETE ? DISPOSABLE : Map.of(),
        defaults.steps(),
        8,
        32,
        1.0 / 3,
        Duration.ofSeconds(5),
        dryRun);
  }

  private static Drill.ActionTimes times() {
    Duration second = Duration.ofSeconds(1);
    return new Drill.ActionTimes(second, second, second, second, second);
  }
}
