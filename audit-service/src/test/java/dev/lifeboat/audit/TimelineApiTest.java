package dev.lifeboat.audit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import dev.lifeboat.audit.cli.ReplayCommand;
import dev.lifeboat.audit.persistence.Queries;
import dev.lifeboat.events.IncidentId;
import dev.lifeboat.events.LifeboatMessage;
import dev.lifeboat.events.MessageIds;
import dev.lifeboat.events.node.ClaimRef;
import dev.lifeboat.events.node.EligibleNode;
import dev.lifeboat.events.node.HeldVolume;
import dev.lifeboat.events.node.NodeRef;
import dev.lifeboat.events.node.RemovalRequested;
import dev.lifeboat.events.node.ServerDisposal;
import dev.lifeboat.events.permit.BudgetReported;
import dev.lifeboat.events.permit.PermitMessage;
import dev.lifeboat.events.saga.IncidentCancelled;
import dev.lifeboat.events.saga.Step;
import dev.lifeboat.events.saga.StepSucceeded;
import dev.lifeboat.testkit.KafkaBrokerResource;
import dev.lifeboat.testkit.LifeboatTopics;
import dev.lifeboat.testkit.MonitoringQueries;
import dev.lifeboat.testkit.PostgresResource;
import dev.lifeboat.testkit.TestKafka;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * A scripted incident through the real broker into the embedded PostgreSQL: its projection on the
 * API, and the same answers after a redelivery, a re-consumption into an empty database, a rebuild
 * and the database-free replay command.
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
@QuarkusTestResource(PostgresResource.class)
class TimelineApiTest {

  private static final Duration WAIT = Duration.ofSeconds(60);

  @Inject Queries queries;
  @Inject DataSource dataSource;

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
  void aScriptedIncidentIsStoredAndProjectedWithStepsDurationsAndAttempts() {
    ScriptedIncident incident = sent(Instant.now().minusSeconds(3600));

    JsonPath json = awaitIncident(incident, "PARTIAL");

    assertThat(json.getString("node")).isEqualTo(incident.node);
    assertThat(json.getInt("volumesMoved")).isEqualTo(1);
    assertThat(json.getInt("messages")).isEqualTo(incident.messages.size());
    assertThat(json.getString("detectedAt")).isEqualTo(incident.start.plusSeconds(10).toString());
    Map<String, Object> a = json.getMap("volumes.find { it.volumeId == 200001 }");
    assertThat(a).containsEntry("status", "MOVED").containsEntry("targetNode", "worker-3");
    Map<String, Object> attach =
        json.getMap("volumes.find { it.volumeId == 200001 }.steps.find { it.name == 'ATTACH' }");
    assertThat(attach)
        .containsEntry("status", "SUCCEEDED")
        .containsEntry("attempts", 2)
        .containsEntry("startedAt", incident.start.plusMillis(18_100).toString())
        .containsEntry("endedAt", incident.start.plusMillis(22_500).toString());
    assertThat(json.getList("volumes.find { it.volumeId == 200001 }.steps.name"))
        .containsExactly("DETACH", "RELEASE", "RESCHEDULE", "ATTACH", "VERIFY");
    Map<String, Object> b = json.getMap("volumes.find { it.volumeId == 200002 }");
    assertThat(b).containsEntry("status", "FAILED");
    assertThat(json.getString("volumes.find { it.volumeId == 200002 }.failure.reason"))
        .isEqualTo("NO_ELIGIBLE_NODE");
    assertThat(json.getList("incidentSteps.name"))
        .containsExactly("PRE_FLIGHT", "FENCE", "RELEASE");

    assertThat(json.getString("kind")).isEqualTo("loss");
    given()
        .get("/api/incidents/" + incident.incidentId + "/report")
        .then()
        .statusCode(200)
        .body("kind", equalTo("loss"))
        .body("toFenceMillis", equalTo(2200))
        .body("toEmptyMillis", equalTo(5300))
        .body("volumes.find { it.volumeId == 200001 }.targetNode", equalTo("worker-3"))
        .body("volumes.find { it.volumeId == 200001 }.targetServer", equalTo(4203))
        .body("volumes.find { it.volumeId == 200001 }.movedAfterMillis", equalTo(15_000))
        .body("volumes.find { it.volumeId == 200002 }.status", equalTo("FAILED"))
        .body("toLastPodReadyMillis", equalTo(15_000))
        .body("failures[0]", containsString("volume 200002 at RESCHEDULE: NO_ELIGIBLE_NODE"));
    String markdown =
        given()
            .accept("text/markdown")
            .get("/api/incidents/" + incident.incidentId + "/report")
            .then()
            .statusCode(200)
            .contentType(containsString("text/markdown"))
            .extract()
            .asString();
    assertThat(markdown)
        .contains("# Incident " + incident.incidentId)
        .contains("- Fenced after: 2.2 s")
        .contains("- Node emptied after: 5.3 s")
        .contains("| 200001 | shop/data-200001 | MOVED | worker-3 | 4203 | 15.0 s |")
        .contains("| 200001 | ATTACH | SUCCEEDED | 4.4 s | 2 | locked: server 4203 is locked |");
    given()
        .get("/api/incidents/" + incident.incidentId + "/timeline")
        .then()
        .statusCode(200)
        .body("size()", equalTo(incident.messages.size()))
        .body("[0].summary", containsString("suspected"));
    given()
        .get("/api/volumes/200001/history")
        .then()
        .statusCode(200)
        .body("incident.incidentId", hasItem(incident.incidentId));
    given()
        .queryParam("node", incident.node)
        .get("/api/incidents")
        .then()
        .body("total", equalTo(1))
        .body("items[0].status", equalTo("PARTIAL"));
  }

  @Test
  void aRemovalIsListedByItsKindAndItsReportSaysWhenTheNodeWasEmptied() {
    Instant start = Instant.now().minusSeconds(1800).truncatedTo(ChronoUnit.MILLIS);
    NodeRef node = new NodeRef("worker-r" + start.toEpochMilli(), "uid-r", 4299, "fsn1");
    String removal = IncidentId.forRemoval(node.name(), node.uid());
    List<LifeboatMessage> messages =
        List.of(
            new RemovalRequested(
                MessageIds.random(),
                removal,
                start,
                node,
                ServerDisposal.KEEP,
                "test",
                List.of(
                    new HeldVolume(
                        300_001,
                        "pv-300001",
                        new ClaimRef("shop", "data-300001"),
                        "fsn1",
                        List.of())),
                Map.of("fsn1", List.of(new EligibleNode("worker-3", 4203, "fsn1"))),
                Map.of(),
                6),
            new StepSucceeded(
                MessageIds.random(),
                removal,
                start.plusMillis(7_500),
                Step.DETACH,
                300_001L,
                1,
                "detached"),
            new IncidentCancelled(MessageIds.random(), removal, start.plusSeconds(9), "test"));
    messages.forEach(topics::send);

    await()
        .atMost(WAIT)
        .ignoreExceptions()
        .untilAsserted(
            () ->
                given()
                    .queryParam("kind", "removal")
                    .queryParam("node", node.name())
                    .get("/api/incidents")
                    .then()
                    .body("total", equalTo(1))
                    .body("items[0].kind", equalTo("removal"))
                    .body("items[0].status", equalTo("CANCELLED")));
    given()
        .queryParam("kind", "loss")
        .queryParam("node", node.name())
        .get("/api/incidents")
        .then()
        .body("total", equalTo(0));
    given()
        .queryParam("kind", "outage")
        .get("/api/incidents")
        .then()
        .statusCode(400)
        .body("message", containsString("kind must be loss, removal or repair"));
    assertThat(
            given()
                .accept("text/markdown")
                .get("/api/incidents/" + removal + "/report")
                .then()
                .statusCode(200)
                .extract()
                .asString())
        .contains("# Removal " + removal)
        .contains("(REMOVAL_REQUESTED)")
        .contains("- Node emptied after: 7.5 s")
        .doesNotContain("Fenced after");
    assertThat(given().get("/").then().statusCode(200).extract().asString())
        .contains("<td class=\"kind-removal\">removal</td><td>" + node.name() + "</td>");
  }

  @Test
  void theAdaptersBudgetReportsBelongToNoIncidentAndAreNotStoredAsOne() {
    BudgetReported report =
        new BudgetReported(
            MessageIds.random(),
            PermitMessage.AUTHORITY_KEY,
            Instant.now(),
            0,
            3600,
            1.0,
            0.5,
            12,
            true);
    topics.send(report);
    await()
        .atMost(WAIT)
        .until(
            () ->
                given()
                    .get("/q/metrics")
                    .then()
                    .extract()
                    .asString()
                    .contains(
                        "lifeboat_audit_messages_skipped_total{topic=\"lifeboat.fencing-permits\"}"));

    given().get("/api/incidents/" + PermitMessage.AUTHORITY_KEY).then().statusCode(404);
    given()
        .get("/api/incidents")
        .then()
        .statusCode(200)
        .body("items.incidentId", org.hamcrest.Matchers.not(hasItem(PermitMessage.AUTHORITY_KEY)));
    try (Connection db = dataSource.getConnection();
        var statement = db.prepareStatement("select count(*) from message where message_id = ?")) {
      statement.setString(1, report.messageId());
      try (var rows = statement.executeQuery()) {
        rows.next();
        assertThat(rows.getInt(1)).isZero();
      }
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void redeliveryReplayFromOffsetZeroAndRebuildGiveIdenticalRowsAndAnswers() throws Exception {
    ScriptedIncident incident = sent(Instant.now().minusSeconds(1800));
    awaitIncident(incident, "PARTIAL");
    String before = answers(incident);
    Map<String, Long> counts = queries.counts();

    incident.messages.forEach(topics::send);
    await().atMost(WAIT).until(() -> duplicates() >= incident.messages.size());
    assertThat(queries.counts()).isEqualTo(counts);
    assertThat(answers(incident)).isEqualTo(before);

    try (Connection db = dataSource.getConnection();
        var statement = db.createStatement()) {
      statement.executeUpdate(
          "truncate message, dead_letter, incident, volume_failover, step, command");
    }
    given().get("/api/incidents/" + incident.incidentId).then().statusCode(404);
    given()
        .header("Authorization", "Bearer test-token")
        .post("/api/admin/reconsume")
        .then()
        .statusCode(200);
    assertThat(answers(incident)).isEqualTo(before);
    Map<String, Long> replayed = queries.counts();
    assertThat(replayed.get("incident")).isGreaterThanOrEqualTo(1);

    given()
        .header("Authorization", "Bearer test-token")
        .post("/api/admin/rebuild")
        .then()
        .statusCode(200);
    assertThat(answers(incident)).isEqualTo(before);
    Map<String, Long> rebuilt = queries.counts();
    rebuilt.remove("dead_letter");
    replayed.remove("dead_letter");
    assertThat(rebuilt).isEqualTo(replayed);
  }

  @Test
  void theDatabaseFreeReplayPrintsTheSameTimelineAsTheApi() {
    ScriptedIncident incident = sent(Instant.now().minusSeconds(900));
    awaitIncident(incident, "PARTIAL");
    List<String> api =
        given()
            .get("/api/incidents/" + incident.incidentId + "/timeline")
            .then()
            .extract()
            .jsonPath()
            .getList("collect { it.at + '  ' + it.sinceStart + '  ' + it.summary }");

    String byId = replay("--incident", incident.incidentId);
    String byNode = replay("--incident", incident.node);
    String markdown = replay("--incident", incident.incidentId, "--format", "markdown");

    assertThat(byId.lines().skip(1).toList()).isEqualTo(api);
    assertThat(byNode).isEqualTo(byId);
    assertThat(markdown)
        .contains("# Timeline of incident " + incident.incidentId)
        .contains("- Volumes moved: 1 of 2");
  }

  @Test
  void anUnknownIncidentIsA404WithAJsonBody() {
    given()
        .get("/api/incidents/nobody-000000000000")
        .then()
        .statusCode(404)
        .contentType("application/json")
        .body("error", equalTo("not_found"))
        .body("message", equalTo("no incident nobody-000000000000 is known"));
    given()
        .get("/api/incidents?from=yesterday")
        .then()
        .statusCode(400)
        .body("error", equalTo("invalid_input"));
  }

  @Test
  void retentionDeletesOldIncidentsAndKeepsTheRest() {
    ScriptedIncident old = sent(Instant.now().minus(Duration.ofDays(100)));
    ScriptedIncident recent = sent(Instant.now().minusSeconds(600));
    awaitIncident(old, "PARTIAL");
    awaitIncident(recent, "PARTIAL");

    given()
        .header("Authorization", "Bearer test-token")
        .post("/api/admin/retention")
        .then()
        .statusCode(200);

    given().get("/api/incidents/" + old.incidentId).then().statusCode(404);
    given().get("/api/incidents/" + old.incidentId + "/timeline").then().statusCode(404);
    given().get("/api/incidents/" + recent.incidentId).then().statusCode(200);
  }

  @Test
  void theOpenApiDocumentDescribesTheApi() {
    given()
        .get("/q/openapi")
        .then()
        .statusCode(200)
        .body(containsString("/api/incidents/{id}/report"))
        .body(containsString("/api/volumes/{volumeId}/history"));
  }

  // ---- helpers ---------------------------------------------------------------------------------

  private static ScriptedIncident sent(Instant start) {
    ScriptedIncident incident = new ScriptedIncident(start);
    incident.messages.forEach(topics::send);
    return incident;
  }

  private static JsonPath awaitIncident(ScriptedIncident incident, String status) {
    return await()
        .atMost(WAIT)
        .ignoreExceptions()
        .until(
            () ->
                given()
                    .get("/api/incidents/" + incident.incidentId)
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath(),
            json ->
                status.equals(json.getString("status"))
                    && json.getInt("messages") == incident.messages.size());
  }

  /** Every answer of the API about the incident, as one string. */
  private static String answers(ScriptedIncident incident) {
    String base = "/api/incidents/" + incident.incidentId;
    return given().get(base).then().statusCode(200).extract().asString()
        + given().get(base + "/timeline").then().extract().asString()
        + given().get(base + "/report").then().extract().asString();
  }

  private static double duplicates() {
    String metrics = given().get("/q/metrics").then().extract().asString();
    return metrics
        .lines()
        .filter(line -> line.startsWith("lifeboat_audit_messages_duplicate_total{"))
        .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
        .sum();
  }

  private static String replay(String... args) {
    ReplayCommand command = new ReplayCommand();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    command.out = new PrintStream(out, true, StandardCharsets.UTF_8);
    String[] all = new String[args.length + 2];
    all[0] = "--bootstrap-servers";
    all[1] = TestKafka.shared().bootstrapServers();
    System.arraycopy(args, 0, all, 2, args.length);
    int exit = new CommandLine(command).execute(all);
    assertThat(exit).isZero();
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void everyMetricTheAlertsAndTheDashboardQueryIsExported() {
    MonitoringQueries.assertExported(MonitoringQueries.AUDIT);
  }
}
