package dev.lifeboat.orchestrator.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.events.IncidentId;
import dev.lifeboat.events.LifeboatMessage;
import dev.lifeboat.events.MessageIds;
import dev.lifeboat.events.control.AbortIncident;
import dev.lifeboat.events.control.CancelIncident;
import dev.lifeboat.events.control.ControlRequest;
import dev.lifeboat.events.control.ResumeIncident;
import dev.lifeboat.events.control.RetryVolume;
import dev.lifeboat.events.node.ClaimRef;
import dev.lifeboat.events.node.EligibleNode;
import dev.lifeboat.events.node.GoneReason;
import dev.lifeboat.events.node.HeldVolume;
import dev.lifeboat.events.node.NodeGone;
import dev.lifeboat.events.node.NodeRef;
import dev.lifeboat.events.node.NodeReturned;
import dev.lifeboat.events.node.PodRef;
import dev.lifeboat.events.saga.IncidentStatus;
import dev.lifeboat.events.saga.RequestRefused;
import dev.lifeboat.orchestrator.api.IncidentView;
import dev.lifeboat.orchestrator.messaging.SagaStateCodec;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Every request a person can make, in every state an incident can be in: what the API would accept
 * (the saga's own refusal rule, as the incident's view carries it) the saga acts on, and what it
 * would refuse the saga answers with a {@link RequestRefused} saying the same, changing nothing
 * else.
 */
class ControlRulesTest {

  private static final Instant T0 = Instant.parse("2026-11-26T03:00:00Z");
  private static final NodeRef NODE = new NodeRef("worker-2", "uid-2", 4202, "fsn1");
  private static final String INCIDENT = IncidentId.forNode(NODE.name(), NODE.uid());
  private static final long MOVES = 1;
  private static final long NO_ROOM = 2;

  @Test
  void everyRequestTheApiAcceptsIsActedOnAndEveryOtherIsAnsweredWithTheReason() {
    Map<String, Supplier<IncidentState>> states = states();
    assertThat(states.values().stream().map(s -> s.get().status()).distinct())
        .containsExactlyInAnyOrder(
            IncidentStatus.RUNNING,
            IncidentStatus.HELD,
            IncidentStatus.COMPLETED,
            IncidentStatus.PARTIAL,
            IncidentStatus.CANCELLED);
    int accepted = 0;
    int refused = 0;
    for (Map.Entry<String, Supplier<IncidentState>> entry : states.entrySet()) {
      for (ControlRequest request : requests()) {
        IncidentState state = entry.getValue().get();
        String what = request.getClass().getSimpleName() + " in state '" + entry.getKey() + "'";
        IncidentView view = IncidentView.of(state);
        if (request instanceof RetryVolume retry
            && view.volumes().stream().noneMatch(v -> v.volumeId() == retry.volumeId())) {
          continue; // the API answers 404 and sends nothing
        }
        Optional<String> apiRefusal = apiRefusal(view, request);
        byte[] before = SagaStateCodec.write(state);

        Outcome outcome = saga().apply(state, request, T0.plusSeconds(600), Conditions.CALM);

        List<LifeboatMessage> refusals =
            outcome.messages().stream().filter(m -> m instanceof RequestRefused).toList();
        if (apiRefusal.isPresent()) {
          refused++;
          assertThat(outcome.messages()).as(what).hasSize(1);
          assertThat(((RequestRefused) refusals.get(0)).reason())
              .as(what)
              .isEqualTo(apiRefusal.get());
          assertThat(((RequestRefused) refusals.get(0)).requestId()).isEqualTo(request.messageId());
          IncidentState after = outcome.state();
          after.sequence--; // the event's own number is the only change
          assertThat(SagaStateCodec.write(after)).as(what).isEqualTo(before);
        } else {
          accepted++;
          assertThat(refusals).as(what).isEmpty();
          assertThat(
                  !outcome.messages().isEmpty()
                      || !Arrays.equals(SagaStateCodec.write(outcome.state()), before))
              .as(what + " changed nothing")
              .isTrue();
        }
      }
    }
    assertThat(accepted).isGreaterThan(5);
    assertThat(refused).isGreaterThan(5);
  }

  @Test
  void aFencedIncidentIsNotCancelledButAborted() {
    IncidentState fenced = states().get("fence sent").get();

    assertThat(IncidentSaga.refusal(fenced, Control.Kind.CANCEL, 0)).isPresent();
    assertThat(IncidentSaga.refusal(fenced, Control.Kind.ABORT, 0)).isEmpty();
  }

  /** The API's answer: the refusal its view of the incident carries. */
  private static Optional<String> apiRefusal(IncidentView view, ControlRequest request) {
    if (request instanceof RetryVolume retry) {
      return view.volumes().stream()
          .filter(v -> v.volumeId() == retry.volumeId())
          .findFirst()
          .map(IncidentView.VolumeView::retryRefused);
    }
    Control.Kind kind =
        request instanceof ResumeIncident
            ? Control.Kind.RESUME
            : request instanceof CancelIncident ? Control.Kind.CANCEL : Control.Kind.ABORT;
    return Optional.ofNullable(view.refused().get(kind.name()));
  }

  private static List<ControlRequest> requests() {
    return List.of(
        new ResumeIncident(MessageIds.random(), INCIDENT, T0, "oncall", "checked"),
        new CancelIncident(MessageIds.random(), INCIDENT, T0, "oncall", "no"),
        new AbortIncident(MessageIds.random(), INCIDENT, T0, "oncall", "by hand"),
        new RetryVolume(MessageIds.random(), INCIDENT, T0, "oncall", MOVES, "again"),
        new RetryVolume(MessageIds.random(), INCIDENT, T0, "oncall", NO_ROOM, "capacity added"));
  }

  /** An incident in each state, made by the saga itself. */
  private static Map<String, Supplier<IncidentState>> states() {
    Map<String, Supplier<IncidentState>> states = new LinkedHashMap<>();
    states.put("fence sent", () -> world(Conditions.CALM).receive(gone(), false).state);
    states.put(
        "held by the cap",
        () -> world(Conditions.CALM).othersFencing(10).receive(gone(), false).state);
    states.put("ended partial", () -> world(Conditions.CALM).run().state);
    states.put(
        "cancelled",
        () -> {
          Cooperative held = world(Conditions.CALM).othersFencing(10).receive(gone(), false);
          return held.receive(new NodeReturned(MessageIds.random(), INCIDENT, T0, NODE), false)
              .state;
        });
    states.put("completed", () -> new Cooperative(saga(), goneWithout(NO_ROOM), T0).run().state);
    return states;
  }

  private static Cooperative world(Conditions conditions) {
    return new Cooperative(saga(), gone(), T0, conditions);
  }

  private static IncidentSaga saga() {
    return new IncidentSaga(SagaPolicy.defaults());
  }

  private static NodeGone gone() {
    return new NodeGone(
        MessageIds.random(),
        INCIDENT,
        T0,
        NODE,
        GoneReason.LEASE_EXPIRED,
        List.of(volume(MOVES, "fsn1"), volume(NO_ROOM, "hel1")),
        Map.of("fsn1", List.of(new EligibleNode("worker-3", 4203, "fsn1"))),
        Map.of(),
        30);
  }

  private static NodeGone goneWithout(long volumeId) {
    NodeGone all = gone();
    return new NodeGone(
        all.messageId(),
        all.incidentId(),
        all.occurredAt(),
        all.node(),
        all.reason(),
        all.volumes().stream().filter(v -> v.volumeId() != volumeId).toList(),
        all.eligibleNodes(),
        all.nodeLabels(),
        all.knownNodes());
  }

  private static HeldVolume volume(long id, String location) {
    return new HeldVolume(
        id,
        "pv-" + id,
        new ClaimRef("shop", "data-db-" + id),
        location,
        List.of(new PodRef("shop", "db-" + id, "uid-" + id, "StatefulSet", "db")));
  }
}
