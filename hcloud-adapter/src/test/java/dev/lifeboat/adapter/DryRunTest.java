package dev.lifeboat.adapter;

import static dev.lifeboat.adapter.AdapterTestSupport.attach;
import static dev.lifeboat.adapter.AdapterTestSupport.detach;
import static dev.lifeboat.adapter.AdapterTestSupport.mutatingRequests;
import static dev.lifeboat.adapter.AdapterTestSupport.powerOff;
import static dev.lifeboat.adapter.AdapterTestSupport.requests;
import static dev.lifeboat.adapter.AdapterTestSupport.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.events.hcloud.HcloudCommandAlreadyDone;
import dev.lifeboat.events.hcloud.HcloudCommandDryRun;
import dev.lifeboat.testkit.HcloudSimProcess;
import dev.lifeboat.testkit.KafkaBrokerResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Dry-run: reads happen, mutating calls never; results say what would have been called. It runs
 * with the project's read-only token, as the dry-run overlay mounts one: a mutating call would be
 * refused, and the reads it needs all work.
 */
@QuarkusTest
@TestProfile(DryRunTest.DryRun.class)
@QuarkusTestResource(KafkaBrokerResource.class)
@QuarkusTestResource(HcloudSimProcess.Resource.class)
class DryRunTest extends WithTopics {

  /** Dry-run on. */
  public static class DryRun implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "lifeboat.hcloud.dry-run",
          "true",
          "lifeboat.hcloud.token",
          HcloudSimProcess.READ_ONLY_TOKEN);
    }
  }

  @BeforeAll
  static void startFromTheDemo() {
    HcloudSimProcess.shared().reset(null);
  }

  @Test
  void commandsSayWhatTheyWouldCallAndMakeNoMutatingRequest() {
    assertThat(run(topics, powerOff(4206)))
        .isInstanceOfSatisfying(
            HcloudCommandDryRun.class,
            r -> {
              assertThat(r.wouldCall()).isEqualTo("dry-run: POST /servers/4206/actions/poweroff");
              assertThat(r.observed()).isEqualTo("server 4206 status running");
            });
    AdapterTestSupport.fenced(4202);
    assertThat(run(topics, detach(100001, 4202)))
        .isInstanceOfSatisfying(
            HcloudCommandDryRun.class,
            r ->
                assertThat(r.wouldCall())
                    .isEqualTo("dry-run: POST /volumes/100001/actions/detach"));
    // To a server that runs (4202 is off now: an attach there is refused before any call).
    assertThat(run(topics, attach(100006, 4203)))
        .isInstanceOfSatisfying(
            HcloudCommandDryRun.class,
            r ->
                assertThat(r.wouldCall())
                    .isEqualTo("dry-run: POST /volumes/100006/actions/attach {\"server\":4203}"));
    assertThat(run(topics, attach(100001, 4202))).isInstanceOf(HcloudCommandAlreadyDone.class);

    assertThat(requests()).isNotEmpty();
    assertThat(mutatingRequests()).isEmpty();
  }
}
