package dev.lifeboat.adapter;

import static dev.lifeboat.adapter.AdapterTestSupport.clearLog;
import static dev.lifeboat.adapter.AdapterTestSupport.mutatingRequests;
import static dev.lifeboat.adapter.AdapterTestSupport.run;
import static dev.lifeboat.adapter.AdapterTestSupport.server;
import static dev.lifeboat.adapter.AdapterTestSupport.state;
import static dev.lifeboat.adapter.AdapterTestSupport.volume;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.events.FailureCodes;
import dev.lifeboat.events.MessageIds;
import dev.lifeboat.events.hcloud.DetachVolume;
import dev.lifeboat.events.hcloud.HcloudCommandAlreadyDone;
import dev.lifeboat.events.hcloud.HcloudCommandFailed;
import dev.lifeboat.events.hcloud.HcloudCommandSucceeded;
import dev.lifeboat.events.hcloud.RetireServer;
import dev.lifeboat.events.node.ServerDisposal;
import dev.lifeboat.testkit.HcloudSimProcess;
import dev.lifeboat.testkit.KafkaBrokerResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A planned removal's Hetzner commands against hcloud-sim over the real broker: a detach from the
 * running server of a node whose pods are gone, and the server retired only once nothing is
 * attached to it.
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
@QuarkusTestResource(HcloudSimProcess.Resource.class)
class RemovalCommandsTest extends WithTopics {

  private static final String REMOVAL = "removal-test-" + MessageIds.random();

  @BeforeEach
  void demo() {
    HcloudSimProcess.shared().reset(null);
  }

  @Test
  void aPlannedDetachTakesTheVolumeOffItsRunningServerAndNeverOffAnother() {
    clearLog();

    assertThat(run(topics, plannedDetach(100001, 4202))).isInstanceOf(HcloudCommandSucceeded.class);
    assertThat(volume(100001).get("server").isNull()).isTrue();
    assertThat(server(4202).get("status").asText()).isEqualTo("running");

    // 100002 is on 4203: named with the wrong server, it stays where it is.
    assertThat(run(topics, plannedDetach(100002, 4202)))
        .isInstanceOfSatisfying(
            HcloudCommandFailed.class,
            f -> {
              assertThat(f.errorCode()).isEqualTo("attached_elsewhere");
              assertThat(f.retryable()).isFalse();
            });
    assertThat(volume(100002).get("server").asLong()).isEqualTo(4203);
    assertThat(mutatingRequests()).containsExactly("POST /v1/volumes/100001/actions/detach 201");
  }

  @Test
  void aServerIsDeletedOnlyOnceHetznerShowsNoVolumeOnIt() {
    clearLog();

    assertThat(run(topics, retire(4202, ServerDisposal.DELETE)))
        .isInstanceOfSatisfying(
            HcloudCommandFailed.class,
            f -> {
              assertThat(f.errorCode()).isEqualTo(FailureCodes.VOLUMES_ATTACHED);
              assertThat(f.retryable()).isTrue();
              assertThat(f.errorMessage()).contains("100001").contains("100003").contains("100004");
            });
    assertThat(mutatingRequests()).isEmpty();
    assertThat(server(4202).get("status").asText()).isEqualTo("running");

    for (long volume : new long[] {100001, 100003, 100004}) {
      run(topics, plannedDetach(volume, 4202));
    }
    assertThat(run(topics, retire(4202, ServerDisposal.DELETE)))
        .isInstanceOf(HcloudCommandSucceeded.class);
    assertThat(state().path("servers").findValuesAsText("name"))
        .doesNotContain("demo-worker-fsn1-1");
    clearLog();
    assertThat(run(topics, retire(4202, ServerDisposal.DELETE)))
        .isInstanceOf(HcloudCommandAlreadyDone.class);
    assertThat(mutatingRequests()).isEmpty();
  }

  @Test
  void aServerIsPoweredOffOnlyOnceEmpty() {
    assertThat(run(topics, retire(4203, ServerDisposal.POWEROFF)))
        .isInstanceOf(HcloudCommandFailed.class);
    assertThat(server(4203).get("status").asText()).isEqualTo("running");

    run(topics, plannedDetach(100002, 4203));
    run(topics, plannedDetach(100005, 4203));

    assertThat(run(topics, retire(4203, ServerDisposal.POWEROFF)))
        .isInstanceOf(HcloudCommandSucceeded.class);
    assertThat(server(4203).get("status").asText()).isEqualTo("off");
  }

  private static DetachVolume plannedDetach(long volume, long server) {
    return new DetachVolume(
        MessageIds.random(),
        REMOVAL,
        Instant.now(),
        MessageIds.random(),
        volume,
        server,
        null,
        true);
  }

  private static RetireServer retire(long server, ServerDisposal disposal) {
    return new RetireServer(
        MessageIds.random(), REMOVAL, Instant.now(), MessageIds.random(), server, disposal, null);
  }
}
