package dev.lifeboat.sim;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** With {@code hcloud-sim.token} set, only that token is accepted. */
@QuarkusTest
@TestProfile(ConfiguredTokenTest.OneToken.class)
class ConfiguredTokenTest {

  /** Sets the one accepted token. */
  public static class OneToken implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("hcloud-sim.token", "the-right-token");
    }
  }

  @Test
  void onlyTheConfiguredTokenIsAccepted() {
    given()
        .header("Authorization", "Bearer the-right-token")
        .get("/v1/locations")
        .then()
        .statusCode(200);
    given()
        .header("Authorization", "Bearer another-token")
        .get("/v1/locations")
        .then()
        .statusCode(401)
        .body("error.code", equalTo("unauthorized"));
  }
}
