package dev.lifeboat.orchestrator;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;

import dev.lifeboat.events.Topic;
import dev.lifeboat.events.control.AbortIncident;
import dev.lifeboat.events.node.NodeGone;
import dev.lifeboat.testkit.KafkaBrokerResource;
import dev.lifeboat.testkit.LifeboatTopics;
import dev.lifeboat.testkit.MonitoringQueries;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.hamcrest.Matcher;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The REST API: reads from the store, a person's requests through the control topic, the drill. */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
class OrchestratorApiTest {

  private static LifeboatTopics topics;

  @BeforeAll
  static void open() {
    topics = LifeboatTopics.onSharedBroker();
  }

  @AfterAll
  static void close() {
    topics.close();
  }

  /** Until the sagas run, the API answers 503. */
  @BeforeEach
  void ready() {
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(() -> given().get("/api/incidents").then().statusCode(200));
  }

  @Test
  void readinessIsTheSagasKafkaStreamsRunning() {
    await()
        .atMost(java.time.Duration.ofSeconds(60))
        .untilAsserted(
            () ->
                given()
                    .get("/q/health/ready")
                    .then()
                    .statusCode(200)
                    .body(
                        "checks.find { it.name == 'sagas running (Kafka Streams)' }.data.state",
                        equalTo("RUNNING")));
  }

  @Test
  void anUnknownIncidentIsA404WithAJsonBody() {
    given()
        .get("/api/incidents/no-such-incident")
        .then()
        .statusCode(404)
        .contentType("application/json")
        .body("error", equalTo("not_found"))
        .body("message", equalTo("no incident no-such-incident is known"));
  }

  @Test
  void mutatingEndpointsNeedTheToken() {
    NodeGone gone = openIncident();

    given()
        .contentType("application/json")
        .body("{}")
        .post("/api/incidents/" + gone.incidentId() + "/abort")
        .then()
        .statusCode(401)
        .body("error", equalTo("unauthorized"));
    given()
        .header("Authorization", "Bearer wrong")
        .contentType("application/json")
        .body("{}")
        .post("/api/maintenance/pause")
        .then()
        .statusCode(401);
  }

  @Test
  void anAbortBecomesAControlMessageAndEndsTheIncident() {
    NodeGone gone = openIncident();
    // Once its permit is granted the fence is sent: from then on an abort ends it PARTIAL.
    awaitIncident(gone, "fencingPermit", equalTo("GRANTED"), "refused.CANCEL", notNullValue());

    String requestId =
        given()
            .header("Authorization", "Bearer test-token")
            .contentType("application/json")
            .body("{\"requestedBy\": \"alice\", \"reason\": \"moving by hand\"}")
            .post("/api/incidents/" + gone.incidentId() + "/abort")
            .then()
            .statusCode(202)
            .extract()
            .path("requestId");

    AbortIncident abort =
        topics.awaitMessage(
            Topic.CONTROL, AbortIncident.class, m -> m.messageId().equals(requestId));
    org.assertj.core.api.Assertions.assertThat(abort.requestedBy()).isEqualTo("alice");
    awaitIncident(
        gone, "status", equalTo("PARTIAL"), "volumes[0].failure.reason", equalTo("ABORTED"));
    given()
        .header("Authorization", "Bearer test-token")
        .contentType("application/json")
        .body("{}")
        .post("/api/incidents/" + gone.incidentId() + "/resume")
        .then()
        .statusCode(409)
        .body("message", startsWith("only a held incident can be resumed"));
  }

  @Test
  void theListFiltersByNode() {
    NodeGone gone = openIncident();

    given()
        .queryParam("node", gone.node().name())
        .get("/api/incidents")
        .then()
        .statusCode(200)
        .body("incidentId", hasItem(gone.incidentId()))
        .body("size()", equalTo(1));
  }

  @Test
  void theDrillPlansAnInventoryWithoutSendingAnything() {
    String body =
        """
        {"node": {"name": "worker-5", "uid": "u5", "serverId": 4205, "location": "nbg1"},
         "volumes": [
           {"volumeId": 100005, "persistentVolume": "pv-5", "location": "nbg1",
            "claim": {"namespace": "shop", "name": "data-db-0"}, "pods": []},
           {"volumeId": 100006, "persistentVolume": "pv-6", "location": "hel1",
            "claim": {"namespace": "shop", "name": "data-db-1"}, "pods": []}],
         "eligibleNodes": {"nbg1": [{"name": "worker-6", "serverId": 4206, "location": "nbg1"}]}}
        """;

    given()
        .contentType("application/json")
        .body(body)
        .post("/api/drill")
        .then()
        .statusCode(200)
        .body("fencing", equalTo("poweroff"))
        .body("volumes[0].outcome", equalTo("moves"))
        .body("volumes[0].likelyNode", equalTo("worker-6"))
        .body("volumes[1].outcome", equalTo("NO_ELIGIBLE_NODE"))
        .body("hetznerRequests", equalTo(9))
        .body("expectedDuration", equalTo("PT14S"));
  }

  @Test
  void aDrillWithoutANodeIsA400() {
    given()
        .contentType("application/json")
        .body("{}")
        .post("/api/drill")
        .then()
        .statusCode(400)
        .body("error", equalTo("invalid_input"));
  }

  /** An incident that stays open: its fence gets no answer within the test. */
  /** Waits until the incident's view has both paths as the matchers say. */
  private static void awaitIncident(
      NodeGone gone, String path, Matcher<?> matcher, String other, Matcher<?> otherMatcher) {
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                given()
                    .get("/api/incidents/" + gone.incidentId())
                    .then()
                    .body(path, matcher)
                    .body(other, otherMatcher));
  }

  private static NodeGone openIncident() {
    NodeGone gone =
        Inventories.oneVolume(
            "api-" + UUID.randomUUID().toString().substring(0, 8), 30, Instant.now());
    topics.send(gone);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> given().get("/api/incidents/" + gone.incidentId()).then().statusCode(200));
    return gone;
  }

  @Test
  void theSagaGaugesSayTheStreamsRunAndCountTheOpenIncidents() {
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              String metrics = given().get("/q/metrics").asString();
              org.assertj.core.api.Assertions.assertThat(metrics)
                  .containsPattern("(?m)^lifeboat_saga_streams_running(\\{[^}]*})? 1\\.0$")
                  .containsPattern(
                      "(?m)^lifeboat_saga_incidents\\{[^}]*status=\"HELD\"[^}]*} [0-9]+\\.0$")
                  .containsPattern(
                      "(?m)^lifeboat_saga_incident_oldest_open_seconds(\\{[^}]*})? [0-9.E]+$");
            });
  }

  @Test
  void everyMetricTheAlertsAndTheDashboardQueryIsExported() {
    MonitoringQueries.assertExported(MonitoringQueries.ORCHESTRATOR);
  }
}
