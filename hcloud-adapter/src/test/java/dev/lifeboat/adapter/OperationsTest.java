package dev.lifeboat.adapter;

import static dev.lifeboat.adapter.AdapterTestSupport.detach;
import static dev.lifeboat.adapter.AdapterTestSupport.run;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import dev.lifeboat.events.hcloud.HcloudCommandSucceeded;
import dev.lifeboat.testkit.HcloudSimProcess;
import dev.lifeboat.testkit.KafkaBrokerResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What operators see: metrics, readiness including the API, and no token anywhere in the logs. */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
@QuarkusTestResource(HcloudSimProcess.Resource.class)
class OperationsTest extends WithTopics {

  @BeforeAll
  static void startFromTheDemo() {
    HcloudSimProcess.shared().reset(null);
  }

  @Test
  void metricsShowRequestsActionsBudgetAndQueue() {
    AdapterTestSupport.fenced(4202);
    assertThat(run(topics, detach(100003, 4202))).isInstanceOf(HcloudCommandSucceeded.class);

    String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();

    assertThat(metrics)
        .contains("lifeboat_hcloud_requests_total{endpoint=\"GET /volumes/{id}\",status=\"200\"}")
        .contains(
            "lifeboat_hcloud_requests_total{endpoint=\"POST /volumes/{id}/actions/detach\",status=\"201\"}")
        .contains(
            "lifeboat_hcloud_action_duration_seconds_count{command=\"detach_volume\",status=\"success\"}")
        .contains("lifeboat_hcloud_budget_remaining ")
        .contains("lifeboat_hcloud_queue_length ");
  }

  @Test
  void readinessIncludesTheHetznerApi() {
    given().get("/q/health/ready").then().statusCode(200).body(containsString("Hetzner Cloud API"));
  }

  @Test
  void theTokenNeverReachesTheLog() throws IOException {
    AdapterTestSupport.fenced(4205);
    run(topics, detach(100009, 4205));
    Path log = Path.of("target", "quarkus.log");

    assertThat(log).exists();
    assertThat(Files.readString(log)).contains("lifeboat").doesNotContain("test-token");
  }
}
