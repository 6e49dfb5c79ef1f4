package dev.lifeboat.audit;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import dev.lifeboat.testkit.KafkaBrokerResource;
import dev.lifeboat.testkit.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
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
      return Map.of("lifeboat.api.token", "s3cret", "lifeboat.api.protect-reads", "true");
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
}
