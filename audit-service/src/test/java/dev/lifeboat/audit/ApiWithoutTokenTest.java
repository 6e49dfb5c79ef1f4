package dev.lifeboat.audit;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.lifeboat.testkit.KafkaBrokerResource;
import dev.lifeboat.testkit.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** With no token configured, reads are open and admin endpoints are closed, with a JSON 403. */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
@QuarkusTestResource(PostgresResource.class)
@TestProfile(ApiWithoutTokenTest.NoToken.class)
class ApiWithoutTokenTest {

  /** The API without a token. */
  public static class NoToken implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("lifeboat.api.token", "");
    }
  }

  @Test
  void adminEndpointsAreClosedAndNameTheKeyThatOpensThem() {
    for (String action : new String[] {"rebuild", "reconsume", "retention"}) {
      given()
          .header("Authorization", "Bearer anything")
          .post("/api/admin/" + action)
          .then()
          .statusCode(403)
          .contentType("application/json")
          .body("error", equalTo("forbidden"))
          .body("message", containsString("lifeboat.api.token"));
    }
  }

  @Test
  void readsAreOpen() {
    given().get("/api/incidents").then().statusCode(200).body("page", equalTo(0));
  }
}
