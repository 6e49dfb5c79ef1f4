package dev.lifeboat.sim;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The simulated API over HTTP: shapes, status codes, headers and rules as real clients see them.
 */
@QuarkusTest
class SimApiTest {

  @BeforeEach
  void startFromTheDemo() {
    given().post("/_sim/reset").then().statusCode(200);
    given().delete("/_sim/faults").then().statusCode(200);
  }

  @AfterEach
  void restoreSettings() {
    putSettings(
        """
            {"rate_limit": {"enabled": true, "capacity": 3600, "refill_per_second": 1},
             "shutdown_obeyed": true,
             "durations": {"attach_volume": "PT0.2S", "detach_volume": "PT0.2S", "stop_server": "PT0.2S",
                           "shutdown_server": "PT0.2S", "start_server": "PT0.2S", "delete_server": "PT0.2S"}}
            """);
  }

  @Test
  void requestWithoutTokenGets401Json() {
    given()
        .get("/v1/volumes")
        .then()
        .statusCode(401)
        .contentType(ContentType.JSON)
        .body("error.code", equalTo("unauthorized"))
        .body("error.message", equalTo("unable to authenticate"))
        .body("error.details", nullValue());
  }

  @Test
  void volumeHasTheApiShape() {
    api()
        .get("/v1/volumes/100001")
        .then()
        .statusCode(200)
        .body("volume.id", equalTo(100001))
        .body("volume.name", equalTo("pvc-postgres-0"))
        .body("volume.server", equalTo(4202))
        .body("volume.status", equalTo("available"))
        .body("volume.location.name", equalTo("fsn1"))
        .body("volume.location.network_zone", equalTo("eu-central"))
        .body("volume.linux_device", equalTo("/dev/disk/by-id/scsi-0HC_Volume_100001"))
        .body("volume.protection.delete", equalTo(false))
        .body("volume.labels.app", equalTo("postgres"));
  }

  @Test
  void serverHasItsLocationInItsDatacenter() {
    api()
        .get("/v1/servers/4202")
        .then()
        .statusCode(200)
        .body("server.status", equalTo("running"))
        .body("server.locked", equalTo(false))
        .body("server.datacenter.location.name", equalTo("fsn1"))
        .body("server.volumes", equalTo(List.of(100001, 100003, 100004)));
  }

  @Test
  void listsArePagedWithMeta() {
    api()
        .queryParam("per_page", 5)
        .queryParam("page", 3)
        .get("/v1/volumes")
        .then()
        .statusCode(200)
        .body("volumes", hasSize(2))
        .body("meta.pagination.page", equalTo(3))
        .body("meta.pagination.per_page", equalTo(5))
        .body("meta.pagination.previous_page", equalTo(2))
        .body("meta.pagination.next_page", nullValue())
        .body("meta.pagination.last_page", equalTo(3))
        .body("meta.pagination.total_entries", equalTo(12));
  }

  @Test
  void perPageIsCappedAtFifty() {
    api()
        .queryParam("per_page", 500)
        .get("/v1/volumes")
        .then()
        .body("meta.pagination.per_page", equalTo(50));
  }

  @Test
  void listsFilterByNameLabelsAndStatusAndSort() {
    api()
        .queryParam("name", "pvc-redis-0")
        .get("/v1/volumes")
        .then()
        .body("volumes.id", equalTo(List.of(100003)));
    api()
        .queryParam("label_selector", "app in (kafka,redis)")
        .queryParam("sort", "id:desc")
        .get("/v1/volumes")
        .then()
        .body("volumes.id", equalTo(List.of(100005, 100004, 100003)));
    api()
        .queryParam("label_selector", "role=worker,pool=nbg1-pool")
        .get("/v1/servers")
        .then()
        .body("servers.name", equalTo(List.of("demo-worker-nbg1-1", "demo-worker-nbg1-2")));
    api().queryParam("status", "off").get("/v1/servers").then().body("servers", hasSize(0));
  }

  @Test
  void driftAddedOutsideLifeboatIsServedAsIfItHadAlwaysBeenThere() {
    given()
        .contentType(ContentType.JSON)
        .body(
            """
            {"servers": [{"id": 4299, "name": "old-worker", "location": "fsn1", "status": "off"}],
             "volumes": [{"id": 100077, "name": "pvc-stray", "location": "fsn1", "server": "old-worker"},
                         {"id": 100078, "name": "left-over", "location": "fsn1"}]}
            """)
        .post("/_sim/add")
        .then()
        .statusCode(200);

    api().get("/v1/servers/4299").then().body("server.status", equalTo("off"));
    api().get("/v1/volumes/100077").then().body("volume.server", equalTo(4299));
    api().get("/v1/volumes/100078").then().body("volume.server", nullValue());
    api().get("/v1/servers/4299/actions").then().body("actions", hasSize(0));

    given().post("/_sim/volumes/100077/lose-attachment").then().statusCode(200);
    api().get("/v1/volumes/100077").then().body("volume.server", nullValue());
    api().get("/v1/volumes/100077/actions").then().body("actions", hasSize(0));
    given().post("/_sim/volumes/999999/lose-attachment").then().statusCode(404);
  }

  @Test
  void driftTheApiWouldRefuseIsA400AndAddsNothing() {
    given()
        .contentType(ContentType.JSON)
        .body(
            """
            {"servers": [{"id": 4299, "name": "old-worker", "location": "fsn1", "status": "off"}],
             "volumes": [{"id": 100077, "name": "pvc-stray", "location": "nbg1", "server": "old-worker"}]}
            """)
        .post("/_sim/add")
        .then()
        .statusCode(400)
        .contentType(ContentType.JSON)
        .body("error.code", equalTo("invalid_input"))
        .body("error.message", containsString("different locations"));

    api().get("/v1/servers/4299").then().statusCode(404);
    api().get("/v1/volumes/100077").then().statusCode(404);
  }

  @Test
  void invalidLabelSelectorIsInvalidInputWithFieldDetails() {
    api()
        .queryParam("label_selector", "app in (a")
        .get("/v1/volumes")
        .then()
        .statusCode(400)
        .body("error.code", equalTo("invalid_input"))
        .body("error.details.fields[0].name", equalTo("label_selector"));
  }

  @Test
  void actionsAreCreatedWith201AndPolledInABatchThatLeavesUnknownIdsOut() {
    long detach =
        api()
            .post("/v1/volumes/100001/actions/detach")
            .then()
            .statusCode(201)
            .extract()
            .jsonPath()
            .getLong("action.id");
    long poweroff =
        api()
            .post("/v1/servers/4206/actions/poweroff")
            .then()
            .statusCode(201)
            .extract()
            .jsonPath()
            .getLong("action.id");

    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                api()
                    .queryParam("id", detach, 987654321L, poweroff)
                    .queryParam("page", 1)
                    .queryParam("sort", "status", "id")
                    .get("/v1/actions")
                    .then()
                    .statusCode(200)
                    .body("actions.id", equalTo(List.of((int) detach, (int) poweroff)))
                    .body("actions.status", equalTo(List.of("success", "success"))));
    api().get("/v1/volumes/100001").then().body("volume.server", nullValue());
    api().get("/v1/servers/4206").then().body("server.status", equalTo("off"));
  }

  @Test
  void concurrentActionsOnOneServerGetOne201AndTheRest423() throws Exception {
    slowActions("PT2S");
    List<Callable<Integer>> detaches =
        List.of(100001L, 100003L, 100004L).stream()
            .<Callable<Integer>>map(
                id -> () -> api().post("/v1/volumes/" + id + "/actions/detach").statusCode())
            .toList();
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try {
      List<Integer> statuses = pool.invokeAll(detaches).stream().map(SimApiTest::get).toList();

      assertThat(statuses).containsExactlyInAnyOrder(201, 423, 423);
    } finally {
      pool.shutdownNow();
    }
    api().get("/v1/servers/4202").then().body("server.locked", equalTo(true));
    api()
        .post("/v1/servers/4202/actions/poweroff")
        .then()
        .statusCode(423)
        .body("error.code", equalTo("locked"));
  }

  @Test
  void attachAcrossLocationsAndToAnAttachedVolumeAreRefused() {
    api()
        .contentType(ContentType.JSON)
        .body("{\"server\": 4205, \"automount\": false}")
        .post("/v1/volumes/100006/actions/attach")
        .then()
        .statusCode(400)
        .body("error.code", equalTo("invalid_input"))
        .body("error.message", equalTo("server and volume must be in the same location"));
    attach(100001, 4203)
        .then()
        .statusCode(422)
        .body("error.code", equalTo("volume_already_attached"));
  }

  @Test
  void deletingAServerDetachesItsVolumes() {
    api()
        .delete("/v1/servers/4203")
        .then()
        .statusCode(200)
        .body("action.command", equalTo("delete_server"));

    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                api()
                    .get("/v1/servers/4203")
                    .then()
                    .statusCode(404)
                    .body("error.code", equalTo("not_found")));
    api().get("/v1/volumes/100002").then().body("volume.server", nullValue());
    api().get("/v1/volumes/100005").then().body("volume.server", nullValue());
  }

  @Test
  void shutdownThatTheOsIgnoresSucceedsButLeavesTheServerRunning() {
    putSettings("{\"shutdown_obeyed\": false}");

    long action =
        api()
            .post("/v1/servers/4201/actions/shutdown")
            .then()
            .statusCode(201)
            .extract()
            .jsonPath()
            .getLong("action.id");

    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                api()
                    .get("/v1/actions/" + action)
                    .then()
                    .body("action.status", equalTo("success")));
    api().get("/v1/servers/4201").then().body("server.status", equalTo("running"));
  }

  @Test
  void rateLimitHeadersCountDownAndAnEmptyBucketAnswers429() {
    putSettings("{\"rate_limit\": {\"capacity\": 3, \"refill_per_second\": 0.001}}");

    List<String> remaining =
        List.of(1, 2, 3).stream()
            .map(
                i ->
                    api()
                        .get("/v1/locations")
                        .then()
                        .statusCode(200)
                        .extract()
                        .header("RateLimit-Remaining"))
            .toList();
    Response limited = api().get("/v1/locations");

    assertThat(remaining).containsExactly("2", "1", "0");
    assertThat(limited.statusCode()).isEqualTo(429);
    assertThat(limited.jsonPath().getString("error.code")).isEqualTo("rate_limit_exceeded");
    assertThat(limited.header("RateLimit-Limit")).isEqualTo("3");
    assertThat(limited.header("RateLimit-Remaining")).isEqualTo("0");
    assertThat(Long.parseLong(limited.header("RateLimit-Reset")))
        .isGreaterThan(System.currentTimeMillis() / 1000);
  }

  @Test
  void rateLimitCanBeSwitchedOff() {
    putSettings("{\"rate_limit\": {\"enabled\": false, \"capacity\": 1}}");

    for (int i = 0; i < 5; i++) {
      api().get("/v1/locations").then().statusCode(200);
    }
  }

  @Test
  void injectedErrorsAndLatencyTakeEffectAndAreSwitchedOff() {
    given()
        .contentType(ContentType.JSON)
        .body(
            """
            {"rules": [{"endpoint": "GET /volumes/{id}", "code": "server_error", "rate": 1.0, "times": 2},
                       {"endpoint": "POST /volumes/{id}/actions/attach", "code": "locked", "rate": 1.0},
                       {"endpoint": "GET /locations", "rate": 0, "latency_ms": 300}]}
            """)
        .put("/_sim/faults")
        .then()
        .statusCode(200);

    api()
        .get("/v1/volumes/100001")
        .then()
        .statusCode(500)
        .body("error.code", equalTo("server_error"));
    api().get("/v1/volumes/100001").then().statusCode(500);
    api().get("/v1/volumes/100001").then().statusCode(200);
    attach(100006, 4202).then().statusCode(423);
    long slow = System.nanoTime();
    api().get("/v1/locations").then().statusCode(200);
    assertThat(Duration.ofNanos(System.nanoTime() - slow))
        .isGreaterThanOrEqualTo(Duration.ofMillis(300));

    given().delete("/_sim/faults").then().statusCode(200);

    attach(100006, 4202).then().statusCode(201);
  }

  @Test
  void anAnswerLatencyHoldsTheAnswerAfterTheRequestWasCarriedOut() {
    given()
        .contentType(ContentType.JSON)
        .body(
            """
            {"rules": [{"endpoint": "GET /volumes/{id}", "answer_latency_ms": 600, "times": 1}]}
            """)
        .put("/_sim/faults")
        .then()
        .statusCode(200)
        .body("rules[0].answer_latency_ms", equalTo(600));
    given().delete("/_sim/requests").then().statusCode(200);

    api().get("/v1/volumes/100001").then().statusCode(200).body("volume.id", equalTo(100001));
    Instant arrived = Instant.now();

    List<String> carriedOut =
        given().get("/_sim/requests").then().extract().jsonPath().getList("recent.at");
    assertThat(Duration.between(Instant.parse(carriedOut.get(0)), arrived))
        .as("the answer arrived at least the latency after the request was carried out and logged")
        .isGreaterThanOrEqualTo(Duration.ofMillis(600));
  }

  @Test
  void aLostAnswerCarriesTheRequestOutAndAnswers504WithoutJson() {
    slowActions("PT2S");
    given()
        .contentType(ContentType.JSON)
        .body(
            """
            {"rules": [{"endpoint": "POST /volumes/{id}/actions/attach", "rate": 1.0, "times": 1,
                        "lose_answer": true}]}
            """)
        .put("/_sim/faults")
        .then()
        .statusCode(200)
        .body("rules[0].lose_answer", equalTo(true));

    attach(100006, 4202)
        .then()
        .statusCode(504)
        .contentType(ContentType.TEXT)
        .body(org.hamcrest.Matchers.containsString("answer was lost"));

    // The action started although its answer never came: the volume is locked by it, then attached.
    api()
        .get("/v1/volumes/100006/actions?status=running")
        .then()
        .body("actions[0].command", equalTo("attach_volume"));
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> api().get("/v1/volumes/100006").then().body("volume.server", equalTo(4202)));
  }

  @Test
  void aRuleCannotBothFailAndLoseTheAnswer() {
    given()
        .contentType(ContentType.JSON)
        .body(
            "{\"rules\": [{\"endpoint\": \"*\", \"code\": \"locked\", \"rate\": 1,"
                + " \"lose_answer\": true}]}")
        .put("/_sim/faults")
        .then()
        .statusCode(400)
        .body("error.code", equalTo("invalid_input"))
        .body("error.message", org.hamcrest.Matchers.containsString("lose_answer"));
  }

  @Test
  void injectedActionFailureShowsAsAnErrorAction() {
    given()
        .contentType(ContentType.JSON)
        .body(
            "{\"action_failures\": [{\"command\": \"attach_volume\", \"code\": \"unknown_error\", \"message\": \"boom\"}]}")
        .put("/_sim/faults")
        .then()
        .statusCode(200);

    long action =
        attach(100006, 4202).then().statusCode(201).extract().jsonPath().getLong("action.id");

    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                api()
                    .get("/v1/actions/" + action)
                    .then()
                    .body("action.status", equalTo("error"))
                    .body("action.error.code", equalTo("unknown_error"))
                    .body("action.error.message", equalTo("boom")));
    api().get("/v1/volumes/100006").then().body("volume.server", nullValue());
  }

  @Test
  void badRequestsGetTheApisJsonErrors() {
    api()
        .contentType(ContentType.JSON)
        .body("{\"server\": ")
        .post("/v1/volumes/100006/actions/attach")
        .then()
        .statusCode(400)
        .body("error.code", equalTo("json_error"));
    api()
        .contentType(ContentType.JSON)
        .body("{\"automount\": true}")
        .post("/v1/volumes/100006/actions/attach")
        .then()
        .statusCode(400)
        .body("error.code", equalTo("invalid_input"))
        .body("error.details.fields[0].name", equalTo("server"));
    api()
        .get("/v1/volumes/not-a-number")
        .then()
        .statusCode(404)
        .contentType(ContentType.JSON)
        .body("error.code", equalTo("not_found"));
    api()
        .get("/v1/no-such-thing")
        .then()
        .statusCode(404)
        .contentType(ContentType.JSON)
        .body("error.code", equalTo("not_found"));
    api()
        .get("/v1/volumes/424242")
        .then()
        .statusCode(404)
        .body("error.message", equalTo("volume not found"));
    api()
        .queryParam("page", "x")
        .get("/v1/volumes")
        .then()
        .statusCode(400)
        .body("error.details.fields[0].name", equalTo("page"));
    api()
        .get("/v1/actions")
        .then()
        .statusCode(400)
        .body("error.details.fields[0].name", equalTo("id"));
    api()
        .queryParam("sort", "size:sideways")
        .get("/v1/volumes")
        .then()
        .statusCode(400)
        .body("error.details.fields[0].name", equalTo("sort"));
  }

  @Test
  void requestLogCountsEveryRequestByEndpointAndStatus() {
    given().delete("/_sim/requests").then().statusCode(200);

    api().get("/v1/volumes/100001");
    api().get("/v1/volumes/100002");
    api().get("/v1/volumes/5");

    given()
        .get("/_sim/requests")
        .then()
        .statusCode(200)
        .body("total", equalTo(3))
        .body("by_endpoint.'GET /volumes/{id}'.'200'", equalTo(2))
        .body("by_endpoint.'GET /volumes/{id}'.'404'", equalTo(1))
        .body("recent[2].path", equalTo("/v1/volumes/5"));
  }

  @Test
  void stateDumpNamesHungServersAndKeepsActionTimes() {
    given().post("/_sim/servers/4202/hang").then().statusCode(200);
    api().post("/v1/servers/4203/actions/poweroff").then().statusCode(201);

    given()
        .get("/_sim/state")
        .then()
        .statusCode(200)
        .body("hung_servers", equalTo(List.of(4202)))
        .body("actions[0].command", equalTo("stop_server"))
        .body("actions[0].started", org.hamcrest.Matchers.notNullValue())
        .body("servers.find { it.id == 4202 }.status", equalTo("running"));

    given().post("/_sim/servers/4202/recover").then().statusCode(200);
    given().get("/_sim/state").then().body("hung_servers", equalTo(List.of()));
  }

  @Test
  void theRequestLogNamesWhoAsked() {
    api()
        .header("User-Agent", "lifeboat-hcloud-adapter")
        .get("/v1/volumes/100001")
        .then()
        .statusCode(200);

    given()
        .get("/_sim/requests")
        .then()
        .body("recent[-1].user_agent", equalTo("lifeboat-hcloud-adapter"))
        .body("recent[-1].endpoint", equalTo("GET /volumes/{id}"));
  }

  @Test
  void resetAcceptsAnotherScenarioAndRejectsABadOneNamingTheField() {
    given()
        .body(
            "servers: [{name: solo, location: hel1}]\nvolumes: [{name: v, location: hel1, server: solo}]\n")
        .post("/_sim/reset")
        .then()
        .statusCode(200);
    api()
        .get("/v1/volumes")
        .then()
        .body("volumes.name", equalTo(List.of("v")))
        .body("volumes[0].location.name", equalTo("hel1"));

    given()
        .body("servers: [{name: solo, location: mars1}]\n")
        .post("/_sim/reset")
        .then()
        .statusCode(400)
        .body(
            "error.message",
            org.hamcrest.Matchers.containsString("servers[].location: location mars1 is unknown"));
  }

  private static void slowActions(String duration) {
    putSettings(
        "{\"durations\": {\"detach_volume\": \""
            + duration
            + "\", \"attach_volume\": \""
            + duration
            + "\"}}");
  }

  private static void putSettings(String changes) {
    given()
        .contentType(ContentType.JSON)
        .body(changes)
        .put("/_sim/settings")
        .then()
        .statusCode(200);
  }

  private static Response attach(long volume, long server) {
    return api()
        .contentType(ContentType.JSON)
        .body("{\"server\": " + server + "}")
        .post("/v1/volumes/" + volume + "/actions/attach");
  }

  private static RequestSpecification api() {
    return given().header("Authorization", "Bearer test-token");
  }

  private static <T> T get(Future<T> future) {
    try {
      return future.get();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
