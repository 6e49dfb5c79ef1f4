package dev.lifeboat.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The chaos checker's rules on hand-made worlds: each finds what it is for, and only that. */
class ChaosCheckTest {

  private static final Instant T0 = Instant.parse("2026-12-03T02:00:00Z");
  private final ObjectMapper json = new ObjectMapper();

  /** Node a (server 1) runs pod db-0 on claim data-db-0 of volume 11, Ready. */
  private JsonNode cluster(boolean ready) throws Exception {
    return json.readTree(
        """
        {"nodes": [{"name": "a", "server_id": 1}, {"name": "b", "server_id": 2}],
         "pods": [{"name": "db-0", "node": "a", "ready": %s, "claims": ["data-db-0"]}]}
        """
            .formatted(ready));
  }

  private JsonNode volumeOn(long server) throws Exception {
    return json.readTree("{\"volumes\": [{\"id\": 11, \"server\": " + server + "}]}");
  }

  private JsonNode incident(String phase, String failure) throws Exception {
    return json.readTree(
        """
        {"incidentId": "i-1", "node": "b", "status": "COMPLETED", "openedAt": "%s",
         "volumes": [{"volumeId": 11, "claim": {"namespace": "default", "name": "data-db-0"},
                      "phase": "%s", "failure": %s}]}
        """
            .formatted(T0, phase, failure));
  }

  @Test
  void aMovedVolumeMustBeOnTheServerOfTheNodeWhereItsPodIsReady() throws Exception {
    assertThat(ChaosCheck.placed(List.of(incident("MOVED", "null")), cluster(true), volumeOn(1)))
        .isEmpty();
    assertThat(ChaosCheck.placed(List.of(incident("MOVED", "null")), cluster(true), volumeOn(2)))
        .singleElement()
        .asString()
        .contains("volume 11 is on server 2", "runs on a (server 1)");
    assertThat(ChaosCheck.placed(List.of(incident("MOVED", "null")), cluster(false), volumeOn(1)))
        .singleElement()
        .asString()
        .contains("is not Ready");
  }

  @Test
  void aVolumeThatDidNotMoveMustHaveItsReason() throws Exception {
    assertThat(
            ChaosCheck.placed(
                List.of(incident("FAILED", "{\"step\": \"ATTACH\", \"reason\": \"NO_TARGET\"}")),
                cluster(true),
                volumeOn(2)))
        .isEmpty();
    assertThat(ChaosCheck.placed(List.of(incident("FAILED", "null")), cluster(true), volumeOn(2)))
        .singleElement()
        .asString()
        .contains("does not say why");
  }

  @Test
  void aSecondSuccessfulAttachInOneIncidentIsOneTooMany() throws Exception {
    SimAction attach = new SimAction("attach_volume", "success", T0, T0.plusSeconds(1), 11, 1);
    SimAction failed = new SimAction("attach_volume", "error", T0, T0.plusSeconds(1), 11, 1);
    List<JsonNode> one = List.of(incident("MOVED", "null"));
    assertThat(ChaosCheck.once(one, List.of(attach, failed))).isEmpty();
    assertThat(ChaosCheck.once(one, List.of(attach, attach)))
        .singleElement()
        .asString()
        .contains("2 successful attach_volume 11 for 1 incident");
    JsonNode again =
        ((com.fasterxml.jackson.databind.node.ObjectNode) incident("MOVED", "null"))
            .put("incidentId", "i-2");
    assertThat(ChaosCheck.once(List.of(one.get(0), again), List.of(attach, attach))).isEmpty();
  }

  @Test
  void onlyTheServersOfNodesLostForGoodMayBeStopped() {
    ChaosPlan plan =
        new ChaosPlan(
            1,
            List.of(
                new ChaosPlan.Loss(
                    "lost", LocalApis.Mode.HANG, java.time.Duration.ZERO, Optional.empty()),
                new ChaosPlan.Loss(
                    "back",
                    LocalApis.Mode.HANG,
                    java.time.Duration.ZERO,
                    Optional.of(java.time.Duration.ofSeconds(2)))),
            List.of(),
            0);
    ChaosRound.History round =
        new ChaosRound.History(
            plan,
            T0,
            new SafetyRules.Start(Map.of(), Map.of(), Map.of()),
            Map.of(
                "lost", new LocalApis.Server(1, "lost", "running", "fsn1"),
                "back", new LocalApis.Server(2, "back", "running", "fsn1")),
            List.of(),
            List.of(),
            List.of(),
            Map.of(),
            true);
    SimAction fenceLost = new SimAction("stop_server", "success", T0, T0.plusSeconds(1), 0, 1);
    SimAction fenceBack = new SimAction("stop_server", "success", T0, T0.plusSeconds(1), 0, 2);
    assertThat(ChaosCheck.healthyUntouched(round, List.of(fenceLost))).isEmpty();
    assertThat(ChaosCheck.healthyUntouched(round, List.of(fenceLost, fenceBack)))
        .singleElement()
        .asString()
        .contains("stop_server of server 2");
  }

  @Test
  void aRoundThatCouldNotBeCheckedIsAFailedRound() {
    ChaosCheck.Verdict verdict =
        ChaosCheck.unchecked(new IllegalStateException("the orchestrator did not answer"));

    assertThat(verdict.count()).isEqualTo(1);
    assertThat(verdict.violations().get(ChaosCheck.Check.ENDED))
        .singleElement()
        .asString()
        .contains("could not be played or checked", "the orchestrator did not answer");
  }

  @Test
  void onlyIncidentsOpenedDuringTheRoundAreTheRounds() throws Exception {
    JsonNode list =
        json.readTree(
            "[{\"incidentId\": \"old\", \"openedAt\": \"%s\"}, {\"incidentId\": \"new\", \"openedAt\": \"%s\"}]"
                .formatted(T0.minusSeconds(1), T0));
    assertThat(ChaosCheck.incidentsSince(list, T0))
        .extracting(i -> i.path("incidentId").asText())
        .containsExactly("new");
  }
}
