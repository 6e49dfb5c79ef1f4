package dev.lifeboat.orchestrator;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.lifeboat.events.IncidentId;
import dev.lifeboat.events.MessageIds;
import dev.lifeboat.events.Topic;
import dev.lifeboat.events.cluster.CordonNode;
import dev.lifeboat.events.control.CancelIncident;
import dev.lifeboat.events.inventory.NodeInventory;
import dev.lifeboat.events.node.ClaimRef;
import dev.lifeboat.events.node.EligibleNode;
import dev.lifeboat.events.node.HeldVolume;
import dev.lifeboat.events.node.NodeRef;
import dev.lifeboat.events.node.PodRef;
import dev.lifeboat.events.node.RemovalRequested;
import dev.lifeboat.events.node.ServerDisposal;
import dev.lifeboat.testkit.KafkaBrokerResource;
import dev.lifeboat.testkit.LifeboatTopics;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code /api/removals}: a request answered at once from node-watcher's node inventory (read from
 * its compacted topic over the real broker), a removal that opens its saga, and a cancel.
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
class RemovalApiTest {

  private static final String TOKEN = "Bearer test-token";
  private static LifeboatTopics topics;

  @BeforeAll
  static void open() {
    topics = LifeboatTopics.onSharedBroker();
  }

  @AfterAll
  static void close() {
    topics.close();
  }

  @BeforeEach
  void ready() {
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(() -> given().get("/api/incidents").then().statusCode(200));
  }

  @Test
  void aNodeNodeWatcherHasNotReportedIsA404() {
    ask("{\"node\": \"no-such-node\"}")
        .then()
        .statusCode(404)
        .contentType("application/json")
        .body("error", equalTo("not_found"))
        .body("message", containsString("node no-such-node is not known"));
  }

  @Test
  void aDisposalThatIsNotOneOfTheThreeIsA400NamingThem() {
    ask("{\"node\": \"any\", \"then\": \"shred\"}")
        .then()
        .statusCode(400)
        .body("error", equalTo("invalid_input"))
        .body("message", equalTo("then must be one of delete, poweroff, keep, was shred"));
    ask("{}").then().statusCode(400).body("message", equalTo("node is required"));
  }

  @Test
  void aRemovalNeedsTheToken() {
    given()
        .contentType("application/json")
        .body("{\"node\": \"any\"}")
        .post("/api/removals")
        .then()
        .statusCode(401);
  }

  @Test
  void aNodeLifeboatLeavesAloneIsA409SayingWhy() {
    NodeInventory master = report(node("master"), "it is a control-plane node");

    await()
        .atMost(LifeboatTopics.WAIT)
        .untilAsserted(
            () ->
                ask("{\"node\": \"" + master.incidentId() + "\"}")
                    .then()
                    .statusCode(409)
                    .body("error", equalTo("excluded"))
                    .body("message", containsString("control-plane")));
  }

  @Test
  void aRemovalOpensFromTheNodesInventoryAndIsRefusedTwiceThenCancelled() {
    NodeInventory worker = report(node("worker"), null);
    String removal = IncidentId.forRemoval(worker.node().name(), worker.node().uid());

    String accepted =
        await()
            .atMost(LifeboatTopics.WAIT)
            .until(
                () ->
                    ask("{\"node\": \""
                            + worker.incidentId()
                            + "\", \"then\": \"keep\", \"requestedBy\": \"alice\"}")
                        .then()
                        .extract()
                        .statusCode(),
                code -> code == 202)
            .toString();
    assertThat(accepted).isEqualTo("202");

    RemovalRequested request =
        topics.awaitMessage(
            Topic.NODE_EVENTS, RemovalRequested.class, m -> m.incidentId().equals(removal));
    assertThat(request.then()).isEqualTo(ServerDisposal.KEEP);
    assertThat(request.requestedBy()).isEqualTo("alice");
    assertThat(request.volumes()).isEqualTo(worker.volumes());
    assertThat(request.eligibleNodes()).isEqualTo(worker.eligibleNodes());
    // The saga opens it: the cordon first.
    CordonNode cordon =
        topics.awaitMessage(
            Topic.CLUSTER_COMMANDS, CordonNode.class, m -> m.incidentId().equals(removal));
    assertThat(cordon.nodeName()).isEqualTo(worker.incidentId());
    await()
        .atMost(LifeboatTopics.WAIT)
        .untilAsserted(
            () ->
                given()
                    .get("/api/removals/" + removal)
                    .then()
                    .statusCode(200)
                    .body("kind", equalTo("removal"))
                    .body("then", equalTo("keep"))
                    .body("requestedBy", equalTo("alice"))
                    .body("status", equalTo("RUNNING")));
    ask("{\"node\": \"" + worker.incidentId() + "\"}")
        .then()
        .statusCode(409)
        .body("message", containsString("already being removed: removal " + removal));

    given()
        .header("Authorization", TOKEN)
        .delete("/api/removals/" + removal)
        .then()
        .statusCode(202);

    topics.awaitMessage(Topic.CONTROL, CancelIncident.class, m -> m.incidentId().equals(removal));
    await()
        .atMost(LifeboatTopics.WAIT)
        .untilAsserted(
            () ->
                given()
                    .get("/api/removals/" + removal)
                    .then()
                    .body("status", equalTo("CANCELLED")));
    given()
        .get("/api/removals")
        .then()
        .statusCode(200)
        .body("incidentId", org.hamcrest.Matchers.hasItem(removal));
  }

  @Test
  void theDrillOfALiveNodePlansItsRemovalOrItsLossFromItsInventoryAndSendsNothing() {
    NodeInventory worker = report(node("drilled"), null);
    NodeInventory master = report(node("master"), "it is a control-plane node");
    String drill = "/api/drill/" + worker.incidentId();

    await()
        .atMost(LifeboatTopics.WAIT)
        .untilAsserted(
            () ->
                given()
                    .queryParam("as", "removal")
                    .queryParam("then", "poweroff")
                    .get(drill)
                    .then()
                    .statusCode(200)
                    .body("kind", equalTo("removal"))
                    .body("then", equalTo("poweroff"))
                    .body("fencing", equalTo("none"))
                    .body("refused", org.hamcrest.Matchers.empty())
                    .body(
                        "nodeSteps",
                        org.hamcrest.Matchers.contains("PRE_FLIGHT", "EVICT", "FINISH"))
                    .body("volumes[0].volumeId", equalTo(100700))
                    .body("volumes[0].steps[1]", equalTo("EVICT"))
                    .body("volumes[0].likelyNode", equalTo("worker-spare"))
                    .body("hetznerRequests", equalTo(9)));
    // A loss is drilled from the same live inventory: no incident of the node is needed.
    given()
        .get(drill)
        .then()
        .statusCode(200)
        .body("kind", equalTo("loss"))
        .body("fencing", equalTo("poweroff"))
        .body("nodeSteps", org.hamcrest.Matchers.contains("PRE_FLIGHT", "FENCE", "RELEASE"));
    given()
        .queryParam("as", "removal")
        .get("/api/drill/no-such-node")
        .then()
        .statusCode(404)
        .body("message", containsString("node no-such-node is not known"));
    await()
        .atMost(LifeboatTopics.WAIT)
        .untilAsserted(
            () ->
                given()
                    .queryParam("as", "removal")
                    .get("/api/drill/" + master.incidentId())
                    .then()
                    .statusCode(409)
                    .body("message", containsString("control-plane")));
    given()
        .queryParam("as", "removal")
        .queryParam("then", "shred")
        .get(drill)
        .then()
        .statusCode(400)
        .body("message", equalTo("then must be one of delete, poweroff, keep, was shred"));
    given().queryParam("as", "outage").get(drill).then().statusCode(400);
    given()
        .queryParam("then", "keep")
        .get(drill)
        .then()
        .statusCode(400)
        .body("message", containsString("as=removal"));
    assertThat(
            given()
                .get(
                    "/api/removals/"
                        + IncidentId.forRemoval(worker.node().name(), worker.node().uid()))
                .statusCode())
        .as("a drill opens no removal")
        .isEqualTo(404);
  }

  private static io.restassured.response.Response ask(String body) {
    return given()
        .header("Authorization", TOKEN)
        .contentType("application/json")
        .body(body)
        .post("/api/removals");
  }

  private static NodeRef node(String role) {
    String name = role + "-" + UUID.randomUUID().toString().substring(0, 8);
    return new NodeRef(name, "uid-" + name, 4300 + (name.hashCode() & 0xff), "fsn1");
  }

  /** node-watcher's report of the node, on the compacted topic. */
  private static NodeInventory report(NodeRef node, String excludedBecause) {
    HeldVolume volume =
        new HeldVolume(
            100700,
            "pvc-" + node.name(),
            new ClaimRef("shop", "data-" + node.name()),
            "fsn1",
            List.of(new PodRef("shop", "db-0", "uid-db-" + node.name(), "StatefulSet", "db")));
    NodeInventory inventory =
        new NodeInventory(
            MessageIds.random(),
            node.name(),
            Instant.now(),
            node,
            false,
            true,
            true,
            excludedBecause,
            null,
            null,
            List.of(volume),
            Map.of("fsn1", List.of(new EligibleNode("worker-spare", 4399, "fsn1"))),
            Map.of(),
            5);
    topics.send(inventory);
    return inventory;
  }
}
