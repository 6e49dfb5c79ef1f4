package dev.lifeboat.audit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import dev.lifeboat.testkit.KafkaBrokerResource;
import dev.lifeboat.testkit.LifeboatTopics;
import dev.lifeboat.testkit.OutsideTools;
import dev.lifeboat.testkit.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** With a token configured, the API answers only requests that carry it; errors are JSON. */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
@QuarkusTestResource(PostgresResource.class)
@TestProfile(ApiTokenTest.WithToken.class)
class ApiTokenTest {

  /** The API with a token. */
  public static class WithToken implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "lifeboat.api.token",
          "s3cret",
          "lifeboat.api.read-token",
          "r3ad-only",
          "lifeboat.api.protect-reads",
          "true");
    }
  }

  @Test
  void aRequestWithoutTheTokenIsRefusedWithAJsonError() {
    given()
        .get("/api/incidents")
        .then()
        .statusCode(401)
        .contentType("application/json")
        .body("error", equalTo("unauthorized"));
    given().header("Authorization", "Bearer wrong").get("/api/incidents").then().statusCode(401);
  }

  @Test
  void anAdminRequestNeedsTheTokenToo() {
    given()
        .post("/api/admin/retention")
        .then()
        .statusCode(401)
        .body("error", equalTo("unauthorized"));
    given()
        .header("Authorization", "Bearer s3cret")
        .post("/api/admin/retention")
        .then()
        .statusCode(200);
  }

  @Test
  void aRequestWithTheTokenIsAnswered() {
    given()
        .header("Authorization", "Bearer s3cret")
        .get("/api/incidents")
        .then()
        .statusCode(200)
        .body("page", equalTo(0));
  }

  @Test
  void theReadTokenReadsAndChangesNothing() {
    given()
        .header("Authorization", "Bearer r3ad-only")
        .get("/api/incidents")
        .then()
        .statusCode(200)
        .body("page", equalTo(0));
    given()
        .header("Authorization", "Bearer r3ad-only")
        .post("/api/admin/retention")
        .then()
        .statusCode(403)
        .contentType("application/json")
        .body("error", equalTo("forbidden"))
        .body("message", equalTo("the read token cannot change anything"));
  }

  @Test
  void theTimelinePageAsksForTheTokenAndNeverTakesItFromTheAddress() throws Exception {
    Path chromium = OutsideTools.require("chromium", "apt-get install chromium");
    ScriptedIncident incident = new ScriptedIncident(Instant.now().minusSeconds(300));
    try (LifeboatTopics topics = LifeboatTopics.onSharedBroker()) {
      incident.messages.forEach(topics::send);
    }
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                given()
                        .header("Authorization", "Bearer r3ad-only")
                        .get("/api/incidents/" + incident.incidentId)
                        .statusCode()
                    == 200);
    // A token in the address (where history and access logs keep it) is not read: the page asks.
    String url =
        "http://localhost:"
            + RestAssured.port
            + "/timeline/"
            + incident.incidentId
            + "?token=s3cret";

    String dom = TimelinePageTest.browse(chromium, url, "--dump-dom").stdout();

    assertThat(dom).contains("id=\"token-form\"").contains("type=\"password\"");
    assertThat(dom).doesNotContain("data-rendered=\"true\"");
  }
}
