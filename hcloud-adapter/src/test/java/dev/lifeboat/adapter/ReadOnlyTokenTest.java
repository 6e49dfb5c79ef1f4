package dev.lifeboat.adapter;

import static dev.lifeboat.adapter.AdapterTestSupport.attach;
import static dev.lifeboat.adapter.AdapterTestSupport.clearLog;
import static dev.lifeboat.adapter.AdapterTestSupport.run;
import static dev.lifeboat.adapter.AdapterTestSupport.server;
import static org.assertj.core.api.Assertions.assertThat;

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
 * Outside dry run, a read-only token (the one the dry-run overlay mounts) cannot act: each command
 * fails at once with {@code token_readonly}, not retried, saying which token Lifeboat needs, and
 * the world is as it was.
 */
@QuarkusTest
@TestProfile(ReadOnlyTokenTest.ReadOnly.class)
@QuarkusTestResource(KafkaBrokerResource.class)
@QuarkusTestResource(HcloudSimProcess.Resource.class)
class ReadOnlyTokenTest extends WithTopics {

  /** The adapter holds the project's read-only token, dry run off. */
  public static class ReadOnly implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("lifeboat.hcloud.token", HcloudSimProcess.READ_ONLY_TOKEN);
    }
  }

  @BeforeEach
  void demo() {
    HcloudSimProcess.shared().reset(null);
    clearLog();
  }

  @Test
  void aCommandWithAReadOnlyTokenFailsAtOnceSayingSoAndChangesNothing() {
    String id = MessageIds.random();
    assertThat(
            run(
                topics,
                new PowerOffServer(
                    id, MessageIds.random(), Instant.now(), id, 4206, List.of(4203L), null)))
        .isInstanceOfSatisfying(
            HcloudCommandFailed.class,
            f -> {
              assertThat(f.errorCode()).isEqualTo("token_readonly");
              assertThat(f.retryable()).isFalse();
              assertThat(f.errorMessage())
                  .contains("Read & Write")
                  .doesNotContain(HcloudSimProcess.READ_ONLY_TOKEN);
            });
    assertThat(run(topics, attach(100006, 4203)))
        .isInstanceOfSatisfying(
            HcloudCommandFailed.class, f -> assertThat(f.errorCode()).isEqualTo("token_readonly"));

    assertThat(server(4206).get("status").asText()).isEqualTo("running");
    assertThat(AdapterTestSupport.volume(100006).get("server").isNull()).isTrue();
  }
}
