package dev.lifeboat.adapter;

import static dev.lifeboat.adapter.AdapterTestSupport.clearLog;
import static dev.lifeboat.adapter.AdapterTestSupport.mutatingRequests;
import static dev.lifeboat.adapter.AdapterTestSupport.run;
import static dev.lifeboat.adapter.AdapterTestSupport.server;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.adapter.domain.Decisions;
import dev.lifeboat.events.MessageIds;
import dev.lifeboat.events.hcloud.DeleteServer;
import dev.lifeboat.events.hcloud.HcloudCommandFailed;
import dev.lifeboat.events.hcloud.HcloudResult;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A token of another project answers not_found for every server: that is never taken as the
 * server's deletion, so nothing is reported fenced (and nothing released), with or without
 * witnesses, and the server of the cluster keeps running.
 */
@QuarkusTest
@TestProfile(OtherProjectTokenTest.OtherProject.class)
@QuarkusTestResource(KafkaBrokerResource.class)
@QuarkusTestResource(HcloudSimProcess.Resource.class)
class OtherProjectTokenTest extends WithTopics {

  /** The adapter holds a token of another project. */
  public static class OtherProject implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("lifeboat.hcloud.token", HcloudSimProcess.OTHER_PROJECT_TOKEN);
    }
  }

  @BeforeEach
  void demo() {
    HcloudSimProcess.shared().reset(null);
    clearLog();
  }

  @ParameterizedTest
  @ValueSource(strings = {"poweroff", "delete", "poweroff-without-witnesses"})
  void aServerNotFoundByAnotherProjectsTokenIsNotTakenAsDeleted(String fence) {
    List<Long> witnesses = fence.endsWith("without-witnesses") ? List.of() : List.of(4203L, 4205L);
    HcloudResult result =
        run(
            topics,
            fence.equals("delete")
                ? new DeleteServer(id(), incident(), Instant.now(), id(), 4202, witnesses, null)
                : new PowerOffServer(id(), incident(), Instant.now(), id(), 4202, witnesses, null));

    assertThat(result)
        .isInstanceOfSatisfying(
            HcloudCommandFailed.class,
            f -> {
              assertThat(f.errorCode()).isEqualTo(Decisions.DELETION_NOT_PROVEN);
              assertThat(f.retryable()).isFalse();
              assertThat(f.errorMessage())
                  .contains("another project")
                  .doesNotContain(HcloudSimProcess.OTHER_PROJECT_TOKEN);
            });
    assertThat(server(4202).get("status").asText()).isEqualTo("running");
    assertThat(mutatingRequests()).isEmpty();
  }

  private static String id() {
    return MessageIds.random();
  }

  private static String incident() {
    return "adapter-test-" + MessageIds.random();
  }
}
