package dev.lifeboat.audit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import dev.lifeboat.events.IncidentId;
import dev.lifeboat.events.MessageIds;
import dev.lifeboat.events.SampleMessages;
import dev.lifeboat.events.Topic;
import dev.lifeboat.events.doctor.DoctorMessage;
import dev.lifeboat.events.doctor.DoctorReport;
import dev.lifeboat.events.doctor.DoctorRunRequested;
import dev.lifeboat.events.doctor.Finding;
import dev.lifeboat.events.doctor.FindingKind;
import dev.lifeboat.events.doctor.Headroom;
import dev.lifeboat.events.doctor.Repair;
import dev.lifeboat.events.doctor.RepairAnswered;
import dev.lifeboat.events.doctor.RepairAsked;
import dev.lifeboat.events.node.RepairRequested;
import dev.lifeboat.service.DeadLetters;
import dev.lifeboat.testkit.KafkaBrokerResource;
import dev.lifeboat.testkit.LifeboatTopics;
import dev.lifeboat.testkit.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The doctor's reports through the real broker into the embedded PostgreSQL, and out of {@code GET
 * /api/doctor} and the metrics; a refresh asks for a run and answers with its report.
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
@QuarkusTestResource(PostgresResource.class)
class DoctorApiTest {

  private static final Duration WAIT = Duration.ofSeconds(60);

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
  void aReportOnTheTopicIsServedWithItsFindingsCountedByKindAndAsGauges() {
    DoctorReport report = compared(MessageIds.random(), Instant.now(), "schedule", 2);
    topics.send(report);

    JsonPath doctor = awaitLastRun(report.runId());

    assertThat(doctor.getString("report.runId")).isEqualTo(report.runId());
    assertThat(doctor.getInt("report.byKind.VOLUME_WITHOUT_PERSISTENT_VOLUME")).isEqualTo(2);
    assertThat(doctor.getInt("report.byKind.NO_ROOM_AFTER_LOSS")).isZero();
    assertThat(doctor.getList("report.findings.id"))
        .containsExactly(
            "VOLUME_WITHOUT_PERSISTENT_VOLUME/volume/1",
            "VOLUME_WITHOUT_PERSISTENT_VOLUME/volume/2");
    assertThat(doctor.getString("report.findings[0].fix")).contains("hcloud volume delete 1");
    assertThat(doctor.getInt("report.headroom.remaining")).isEqualTo(3400);
    assertThat(doctor.getBoolean("lastRun.compared")).isTrue();
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(given().get("/q/metrics").then().extract().asString())
                    .contains(
                        "lifeboat_doctor_findings{kind=\"VOLUME_WITHOUT_PERSISTENT_VOLUME\"} 2.0")
                    .contains("lifeboat_doctor_findings{kind=\"MULTI_ATTACH_WAIT\"} 0.0"));
  }

  @Test
  void aFailedRunIsShownBesideTheLastReportThatCompared() {
    Instant now = Instant.now();
    DoctorReport good = compared(MessageIds.random(), now, "schedule", 1);
    DoctorReport failed =
        new DoctorReport(
            MessageIds.random(),
            DoctorMessage.KEY,
            now.plusMillis(10),
            MessageIds.random(),
            "schedule",
            List.of(),
            List.of(),
            null,
            "no answer within PT1M from hcloud-adapter");
    topics.send(good);
    topics.send(failed);

    JsonPath doctor = awaitLastRun(failed.runId());

    assertThat(doctor.getString("report.runId")).isEqualTo(good.runId());
    assertThat(doctor.getBoolean("lastRun.compared")).isFalse();
    assertThat(doctor.getString("lastRun.failure"))
        .isEqualTo("no answer within PT1M from hcloud-adapter");
  }

  @Test
  void aRefreshAsksForARunAndAnswersOnceItsReportIsStored() {
    Instant asked = Instant.now();
    CompletableFuture<JsonPath> refreshed =
        CompletableFuture.supplyAsync(
            () ->
                given()
                    .queryParam("refresh", true)
                    .get("/api/doctor")
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath());

    DoctorRunRequested request =
        topics.awaitMessage(
            Topic.DOCTOR,
            DoctorRunRequested.class,
            r -> r.requestedBy().equals("api") && !r.occurredAt().isBefore(asked.minusSeconds(1)));
    topics.send(compared(request.runId(), Instant.now(), "api", 1));

    JsonPath doctor =
        refreshed.orTimeout(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS).join();
    assertThat(doctor.getString("lastRun.runId")).isEqualTo(request.runId());
    assertThat(doctor.getString("report.requestedBy")).isEqualTo("api");
    // A second refresh right after joins that run instead of asking (and paying) for another.
    given()
        .queryParam("refresh", true)
        .get("/api/doctor")
        .then()
        .statusCode(200)
        .body("lastRun.runId", equalTo(request.runId()));
  }

  @Test
  void theIndexPageShowsTheLatestFindingsInATableWithTheCommandThatFixesEach() {
    DoctorReport report = compared(MessageIds.random(), Instant.now(), "schedule", 1);
    topics.send(report);
    awaitLastRun(report.runId());

    String page = given().get("/").then().statusCode(200).extract().asString();

    assertThat(page)
        .contains("<h2>Doctor</h2>")
        .contains("1 finding at " + report.occurredAt() + ", run schedule.")
        .contains("3400 of 3600 requests left")
        .contains("<tr class=\"finding kind-VOLUME_WITHOUT_PERSISTENT_VOLUME\">")
        .contains("<code>hcloud volume delete 1</code>");
  }

  @Test
  void aRecordOnTheDoctorTopicThatIsNoMessageGoesToTheDeadLettersWithItsReason() {
    String key = "doctor-junk-" + MessageIds.random();
    topics.sendRaw(Topic.DOCTOR, key, Map.of(), "{not json".getBytes(StandardCharsets.UTF_8));

    ConsumerRecord<String, byte[]> dead =
        topics.awaitRecord(Topic.DEAD_LETTERS, r -> key.equals(r.key()));

    assertThat(LifeboatTopics.header(dead, DeadLetters.TOPIC)).contains(topics.name(Topic.DOCTOR));
    assertThat(LifeboatTopics.header(dead, DeadLetters.REASON)).get().asString().isNotBlank();
  }

  // ---- repairs --------------------------------------------------------------------------------

  private static final String TOKEN = "Bearer test-token";

  @Test
  void aRepairIsCheckedAgainOnAFreshRunAndAnswered202WithItsSagaOnceTheOrchestratorStartsIt() {
    DoctorReport report = withStrayVolume(MessageIds.random(), Instant.now());
    topics.send(report);
    awaitLastRun(report.runId());
    Instant asked = Instant.now();

    CompletableFuture<io.restassured.response.Response> post = repairAsync(strayFinding());
    DoctorRunRequested run =
        topics.awaitMessage(
            Topic.DOCTOR,
            DoctorRunRequested.class,
            r ->
                r.requestedBy().equals("repair by alice")
                    && !r.occurredAt().isBefore(asked.minusSeconds(1)));
    RepairAsked request =
        topics.awaitMessage(Topic.DOCTOR, RepairAsked.class, r -> r.runId().equals(run.runId()));
    assertThat(request.findingId()).isEqualTo(strayFinding());
    assertThat(request.requestedBy()).isEqualTo("alice");
    topics.send(answer(request, RepairAnswered.Verdict.STARTED, null));

    io.restassured.response.Response answered = post.join();
    assertThat(answered.statusCode()).isEqualTo(202);
    assertThat(answered.jsonPath().getString("incidentId"))
        .isEqualTo(IncidentId.forRepair(request.repairId()));
    assertThat(answered.jsonPath().getString("repair.action")).isEqualTo("DETACH_VOLUME");
  }

  @Test
  void aRepairTheOrchestratorRefusesIsAnswered409WithWhatChanged() {
    DoctorReport report = withStrayVolume(MessageIds.random(), Instant.now());
    topics.send(report);
    awaitLastRun(report.runId());
    Instant asked = Instant.now();

    CompletableFuture<io.restassured.response.Response> post = repairAsync(strayFinding());
    RepairAsked request =
        topics.awaitMessage(
            Topic.DOCTOR,
            RepairAsked.class,
            r ->
                r.findingId().equals(strayFinding())
                    && !r.occurredAt().isBefore(asked.minusSeconds(1)));
    topics.send(
        answer(request, RepairAnswered.Verdict.REFUSED, "server 4299 is running again (was off)"));

    io.restassured.response.Response answered = post.join();
    assertThat(answered.statusCode()).isEqualTo(409);
    assertThat(answered.contentType()).startsWith("application/json");
    assertThat(answered.jsonPath().getString("error")).isEqualTo("finding_changed");
    assertThat(answered.jsonPath().getString("message"))
        .isEqualTo("server 4299 is running again (was off)");
  }

  @Test
  void aRepairOfAFindingWithoutASafeRepairOrUnknownIsRefusedAtOnceAndWithoutTheTokenAt401() {
    DoctorReport report = compared(MessageIds.random(), Instant.now(), "schedule", 1);
    topics.send(report);
    awaitLastRun(report.runId());

    given()
        .header("Authorization", TOKEN)
        .post("/api/doctor/findings/VOLUME_WITHOUT_PERSISTENT_VOLUME/volume/1/repair")
        .then()
        .statusCode(409)
        .body("error", equalTo("no_safe_repair"))
        .body("message", org.hamcrest.Matchers.containsString("hcloud volume delete 1"));
    given()
        .header("Authorization", TOKEN)
        .post("/api/doctor/findings/no-such-finding/repair")
        .then()
        .statusCode(404)
        .body("error", equalTo("unknown_finding"));
    given()
        .header("Authorization", TOKEN)
        .body("{not json")
        .post("/api/doctor/findings/VOLUME_WITHOUT_PERSISTENT_VOLUME/volume/1/repair")
        .then()
        .statusCode(400)
        .body("error", equalTo("invalid_input"));
    given()
        .post("/api/doctor/findings/VOLUME_WITHOUT_PERSISTENT_VOLUME/volume/1/repair")
        .then()
        .statusCode(401);
  }

  @Test
  void aRepairsSagaHasATimelineOfKindRepair() {
    RepairRequested opening =
        SampleMessages.all().stream()
            .filter(RepairRequested.class::isInstance)
            .map(RepairRequested.class::cast)
            .findFirst()
            .orElseThrow();
    String incident = IncidentId.forRepair(MessageIds.random());
    topics.send(
        new RepairRequested(
            MessageIds.random(),
            incident,
            Instant.now(),
            opening.node(),
            opening.findingId(),
            opening.repair(),
            "alice",
            opening.volume(),
            opening.targetServerId()));

    JsonPath timeline =
        await()
            .atMost(WAIT)
            .until(
                () -> given().get("/api/incidents/" + incident).then().extract().jsonPath(),
                json -> "repair".equals(json.getString("kind")));
    assertThat(timeline.getString("node")).isEqualTo(opening.node().name());
  }

  private static String strayFinding() {
    return "volume-on-server-without-node/volume/100077";
  }

  private static CompletableFuture<io.restassured.response.Response> repairAsync(String finding) {
    return CompletableFuture.supplyAsync(
            () ->
                given()
                    .header("Authorization", TOKEN)
                    .contentType("application/json")
                    .body("{\"requestedBy\": \"alice\"}")
                    .post("/api/doctor/findings/" + finding + "/repair"))
        .orTimeout(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
  }

  private static RepairAnswered answer(
      RepairAsked asked, RepairAnswered.Verdict verdict, String reason) {
    boolean started = verdict == RepairAnswered.Verdict.STARTED;
    return new RepairAnswered(
        MessageIds.random(),
        DoctorMessage.KEY,
        Instant.now(),
        asked.runId(),
        asked.repairId(),
        asked.findingId(),
        verdict,
        reason,
        started ? new Repair(Repair.Action.DETACH_VOLUME, 100077, 4299L, null, null) : null,
        started ? IncidentId.forRepair(asked.repairId()) : null);
  }

  /** A report with volume 100077 on server 4299 (off, no Node), whose detach is its repair. */
  private static DoctorReport withStrayVolume(String runId, Instant at) {
    Finding stray =
        new Finding(
            strayFinding(),
            FindingKind.VOLUME_ON_SERVER_WITHOUT_NODE,
            List.of("volume/100077", "server/4299", "pv/pv-100077"),
            at.minusSeconds(600),
            "no Node stands for server 4299",
            "volume 100077 is attached to server 4299 (off)",
            new Repair(Repair.Action.DETACH_VOLUME, 100077, 4299L, null, null),
            null,
            null);
    return new DoctorReport(
        MessageIds.random(),
        DoctorMessage.KEY,
        at,
        runId,
        "schedule",
        List.of(stray),
        List.of(),
        new Headroom(3600, 3400, SampleMessages.NODE.name(), 1, 9),
        null);
  }

  private static JsonPath awaitLastRun(String runId) {
    return await()
        .atMost(WAIT)
        .until(
            () -> given().get("/api/doctor").then().statusCode(200).extract().jsonPath(),
            json -> runId.equals(json.getString("lastRun.runId")));
  }

  /** A report that compared both sides, with {@code orphans} volumes that no PV names. */
  private static DoctorReport compared(String runId, Instant at, String by, int orphans) {
    List<Finding> findings =
        java.util.stream.IntStream.rangeClosed(1, orphans)
            .mapToObj(
                v ->
                    new Finding(
                        "VOLUME_WITHOUT_PERSISTENT_VOLUME/volume/" + v,
                        FindingKind.VOLUME_WITHOUT_PERSISTENT_VOLUME,
                        List.of("volume/" + v),
                        at.minusSeconds(60),
                        "",
                        "volume " + v + " (fsn1) is attached to no server",
                        null,
                        "report only",
                        "hcloud volume delete " + v))
            .toList();
    return new DoctorReport(
        MessageIds.random(),
        DoctorMessage.KEY,
        at,
        runId,
        by,
        findings,
        List.of(),
        new Headroom(3600, 3400, SampleMessages.NODE.name(), 1, 9),
        null);
  }
}
