package dev.lifeboat.orchestrator;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.lifeboat.testkit.KafkaBrokerResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * With no token configured, a person's requests are refused with a JSON 403 naming the key, and
 * reads (the drill among them) stay open: the rule every Lifeboat API shares.
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
@TestProfile(OrchestratorApiWithoutTokenTest.NoToken.class)
class OrchestratorApiWithoutTokenTest {

  /** The API without a token. */
  public static class NoToken implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("lifeboat.api.token", "");
    }
  }

  @Test
  void mutatingRequestsAreClosedAndReadsAreOpen() {
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(() -> given().get("/api/incidents").then().statusCode(200));
    for (String path :
        new String[] {
          "/api/maintenance/pause",
          "/api/maintenance/resume",
          "/api/incidents/any/resume",
          "/api/incidents/any/cancel",
          "/api/incidents/any/abort",
          "/api/incidents/any/volumes/1/retry"
        }) {
      given()
          .header("Authorization", "Bearer anything")
          .contentType("application/json")
          .body("{}")
          .post(path)
          .then()
          .statusCode(403)
          .contentType("application/json")
          .body("error", equalTo("forbidden"))
          .body("message", containsString("lifeboat.api.token"));
    }
    given()
        .contentType("application/json")
        .body(
            "{\"node\": {\"name\": \"w\", \"uid\": \"u\", \"serverId\": 1, \"location\": \"fsn1\"},"
                + " \"volumes\": [], \"eligibleNodes\": {}, \"nodeLabels\": {}}")
        .post("/api/drill")
        .then()
        .statusCode(200);
  }
}
