package dev.lifeboat.adapter;

import static dev.lifeboat.adapter.AdapterTestSupport.clearLog;
import static dev.lifeboat.adapter.AdapterTestSupport.mutatingRequests;
import static dev.lifeboat.adapter.AdapterTestSupport.run;
import static dev.lifeboat.adapter.AdapterTestSupport.server;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import dev.lifeboat.events.MessageIds;
import dev.lifeboat.events.hcloud.HcloudCommandFailed;
import dev.lifeboat.events.hcloud.PowerOffServer;
import dev.lifeboat.testkit.HcloudSimProcess;
import dev.lifeboat.testkit.KafkaBrokerResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A base URL without {@code /v1}: every path is not found. Readiness is DOWN and says why, and a
 * fence is a clear final failure, never "already done, server deleted".
 */
@QuarkusTest
@TestProfile(WrongApiUrlTest.WithoutV1.class)
@QuarkusTestResource(KafkaBrokerResource.class)
@QuarkusTestResource(HcloudSimProcess.Resource.class)
class WrongApiUrlTest extends WithTopics {

  /** The adapter is pointed at the simulator's root instead of its API. */
  public static class WithoutV1 implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("quarkus.rest-client.hcloud.url", HcloudSimProcess.shared().baseUrl());
    }
  }

  @BeforeEach
  void demo() {
    HcloudSimProcess.shared().reset(null);
    clearLog();
  }

  @Test
  void readinessIsDownAndNamesTheUrl() {
    given()
        .get("/q/health/ready")
        .then()
        .statusCode(503)
        .body(containsString("lifeboat.hcloud.url is not the API"));
  }

  @Test
  void aFenceFailsInsteadOfReportingTheServerDeleted() {
    PowerOffServer fence =
        new PowerOffServer(
            MessageIds.random(),
            "adapter-test-" + MessageIds.random(),
            Instant.now(),
            MessageIds.random(),
            4202,
            List.of(4203L),
            null);

    assertThat(run(topics, fence))
        .isInstanceOfSatisfying(
            HcloudCommandFailed.class,
            f -> {
              assertThat(f.retryable()).isFalse();
              assertThat(f.errorCode()).isIn("not_found", "deletion_not_proven");
            });
    assertThat(server(4202).get("status").asText()).isEqualTo("running");
    assertThat(mutatingRequests()).isEmpty();
  }
}
