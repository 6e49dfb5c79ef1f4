package dev.lifeboat.adapter;

import static dev.lifeboat.adapter.AdapterTestSupport.clearLog;
import static dev.lifeboat.adapter.AdapterTestSupport.mutatingRequests;
import static dev.lifeboat.adapter.AdapterTestSupport.result;
import static dev.lifeboat.adapter.AdapterTestSupport.run;
import static dev.lifeboat.adapter.AdapterTestSupport.server;
import static dev.lifeboat.adapter.AdapterTestSupport.volume;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.adapter.domain.Decisions;
import dev.lifeboat.events.MessageIds;
import dev.lifeboat.events.hcloud.AttachVolume;
import dev.lifeboat.events.hcloud.HcloudCommandFailed;
import dev.lifeboat.events.hcloud.HcloudCommandSucceeded;
import dev.lifeboat.events.hcloud.HcloudResult;
import dev.lifeboat.events.hcloud.PowerOffServer;
import dev.lifeboat.testkit.HcloudSimProcess;
import dev.lifeboat.testkit.KafkaBrokerResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A command carries the moment the saga stops waiting for it: after that the adapter does not start
 * it, so a fence never lands after the saga gave up (and perhaps sent another attempt, or was
 * aborted).
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
@QuarkusTestResource(HcloudSimProcess.Resource.class)
class DeadlineTest extends WithTopics {

  private final String incident = "adapter-test-" + MessageIds.random();

  @BeforeEach
  void demo() {
    HcloudSimProcess.shared().reset(null);
    clearLog();
  }

  @Test
  void aCommandPastItsDeadlineIsNotCarriedOut() {
    HcloudResult result = run(topics, powerOff(Instant.now().minusSeconds(1)));

    assertThat(result)
        .isInstanceOfSatisfying(
            HcloudCommandFailed.class,
            f -> {
              assertThat(f.errorCode()).isEqualTo(Decisions.DEADLINE_PASSED);
              assertThat(f.retryable()).isFalse();
            });
    assertThat(server(4202).get("status").asText()).isEqualTo("running");
    assertThat(mutatingRequests()).isEmpty();
  }

  @Test
  void aFenceWhoseDeadlinePassesWhileItWaitsForItsServerIsDropped() {
    // An attach to the same server runs for 3 s; the fence queued behind it may wait 1 s.
    HcloudSimProcess.shared()
        .send("PUT", "/_sim/settings", "{\"durations\": {\"attach_volume\": \"PT3S\"}}");
    AttachVolume slow =
        new AttachVolume(
            MessageIds.random(), incident, Instant.now(), MessageIds.random(), 100006, 4202);
    PowerOffServer fence = powerOff(Instant.now().plus(Duration.ofSeconds(1)));
    topics.send(slow);
    topics.send(fence);

    HcloudResult fenceResult = result(topics, fence);
    HcloudResult attachResult = result(topics, slow);

    assertThat(attachResult).isInstanceOf(HcloudCommandSucceeded.class);
    assertThat(volume(100006).get("server").asLong()).isEqualTo(4202);
    assertThat(fenceResult)
        .isInstanceOfSatisfying(
            HcloudCommandFailed.class,
            f -> assertThat(f.errorCode()).isEqualTo(Decisions.DEADLINE_PASSED));
    assertThat(server(4202).get("status").asText()).isEqualTo("running");
    assertThat(mutatingRequests()).noneMatch(r -> r.contains("poweroff"));
  }

  private PowerOffServer powerOff(Instant notAfter) {
    return new PowerOffServer(
        MessageIds.random(),
        incident,
        Instant.now(),
        MessageIds.random(),
        4202,
        List.of(),
        notAfter);
  }
}
