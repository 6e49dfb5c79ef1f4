package dev.lifeboat.sim;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * With {@code hcloud-sim.token} set, only that token is accepted; a token of another project
 * authenticates but reads an empty project; a read-only token reads the project and changes
 * nothing.
 */
@QuarkusTest
@TestProfile(ConfiguredTokenTest.OneToken.class)
class ConfiguredTokenTest {

  /** Sets the one accepted token. */
  public static class OneToken implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "hcloud-sim.token", "the-right-token",
          "hcloud-sim.other-project-tokens", "other-project-token",
          "hcloud-sim.read-only-tokens", "read-only-token");
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

  @Test
  void aTokenOfAnotherProjectReadsAnEmptyProject() {
    given()
        .header("Authorization", "Bearer the-right-token")
        .get("/v1/servers/4202")
        .then()
        .statusCode(200);
    given()
        .header("Authorization", "Bearer other-project-token")
        .get("/v1/servers/4202")
        .then()
        .statusCode(404)
        .body("error.code", equalTo("not_found"));
    given()
        .header("Authorization", "Bearer other-project-token")
        .get("/v1/servers")
        .then()
        .statusCode(200)
        .body("servers.size()", equalTo(0))
        .body("meta.pagination.total_entries", equalTo(0));
    given()
        .header("Authorization", "Bearer other-project-token")
        .post("/v1/servers/4202/actions/poweroff")
        .then()
        .statusCode(404);
    given()
        .header("Authorization", "Bearer the-right-token")
        .get("/v1/servers/4202")
        .then()
        .body("server.status", equalTo("running"));
    given()
        .header("Authorization", "Bearer other-project-token")
        .get("/v1/locations")
        .then()
        .statusCode(200);
  }

  @Test
  void aReadOnlyTokenReadsTheProjectAndEveryChangeItAsksIsRefused() {
    given()
        .header("Authorization", "Bearer read-only-token")
        .get("/v1/servers/4202")
        .then()
        .statusCode(200)
        .body("server.status", equalTo("running"));
    given()
        .header("Authorization", "Bearer read-only-token")
        .post("/v1/servers/4202/actions/poweroff")
        .then()
        .statusCode(403)
        .body("error.code", equalTo("token_readonly"));
    given()
        .header("Authorization", "Bearer read-only-token")
        .contentType("application/json")
        .body("{\"server\":4203}")
        .post("/v1/volumes/100006/actions/attach")
        .then()
        .statusCode(403)
        .body("error.code", equalTo("token_readonly"));
    given()
        .header("Authorization", "Bearer read-only-token")
        .delete("/v1/servers/4202")
        .then()
        .statusCode(403)
        .body("error.code", equalTo("token_readonly"));
    given()
        .header("Authorization", "Bearer the-right-token")
        .get("/v1/servers/4202")
        .then()
        .body("server.status", equalTo("running"));
    given()
        .header("Authorization", "Bearer the-right-token")
        .get("/v1/volumes/100006")
        .then()
        .body("volume.server", equalTo(null));
  }
}
