package dev.lifeboat.adapter;

import static dev.lifeboat.adapter.AdapterTestSupport.attach;
import static dev.lifeboat.adapter.AdapterTestSupport.delete;
import static dev.lifeboat.adapter.AdapterTestSupport.detach;
import static dev.lifeboat.adapter.AdapterTestSupport.fenced;
import static dev.lifeboat.adapter.AdapterTestSupport.powerOff;
import static dev.lifeboat.adapter.AdapterTestSupport.run;
import static dev.lifeboat.adapter.AdapterTestSupport.state;
import static dev.lifeboat.adapter.AdapterTestSupport.volume;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lifeboat.events.hcloud.HcloudCommand;
import dev.lifeboat.events.hcloud.HcloudCommandAlreadyDone;
import dev.lifeboat.events.hcloud.HcloudCommandSucceeded;
import dev.lifeboat.events.hcloud.HcloudResult;
import dev.lifeboat.testkit.HcloudSimProcess;
import dev.lifeboat.testkit.KafkaBrokerResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Each mutating call carried out by Hetzner while its answer is lost (a 504 after the action
 * started): the adapter observes again before anything else, so there is exactly one action per
 * command and the command is reported done, whether the action was still running (it is waited for)
 * or had already ended (it is found done).
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
@QuarkusTestResource(HcloudSimProcess.Resource.class)
class LostAnswerTest extends WithTopics {

  @BeforeEach
  void demo() {
    HcloudSimProcess.shared().reset(null);
  }

  @ParameterizedTest(name = "{0}, actions taking {2}")
  @CsvSource({
    "poweroff, POST /servers/{id}/actions/poweroff, PT0S",
    "poweroff, POST /servers/{id}/actions/poweroff, PT1S",
    "delete, DELETE /servers/{id}, PT0S",
    "delete, DELETE /servers/{id}, PT1S",
    "detach, POST /volumes/{id}/actions/detach, PT0S",
    "detach, POST /volumes/{id}/actions/detach, PT1S",
    "attach, POST /volumes/{id}/actions/attach, PT0S",
    "attach, POST /volumes/{id}/actions/attach, PT1S",
  })
  void aLostAnswerLeadsToOneActionAndADoneCommand(
      String intent, String endpoint, Duration actions) {
    HcloudSimProcess.shared()
        .send("PUT", "/_sim/settings", HcloudSimProcess.settings(actions, 3600, 1, true));
    HcloudCommand command =
        switch (intent) {
          case "poweroff" -> powerOff(4206);
          case "delete" -> delete(4203);
          case "detach" -> {
            fenced(4202);
            yield detach(100001, 4202);
          }
          default -> attach(100006, 4202);
        };
    HcloudSimProcess.shared()
        .send(
            "PUT",
            "/_sim/faults",
            "{\"rules\": [{\"endpoint\": \""
                + endpoint
                + "\", \"rate\": 1, \"times\": 1, \"lose_answer\": true}]}");

    HcloudResult result = run(topics, command);

    assertThat(result)
        .isInstanceOfAny(HcloudCommandSucceeded.class, HcloudCommandAlreadyDone.class);
    String actionCommand =
        switch (intent) {
          case "poweroff" -> "stop_server";
          case "delete" -> "delete_server";
          case "detach" -> "detach_volume";
          default -> "attach_volume";
        };
    assertThat(actions(actionCommand)).as("%s actions", actionCommand).hasSize(1);
    assertThat(HcloudSimProcess.shared().send("GET", "/_sim/faults", ""))
        .as("the answer was lost once")
        .contains("\"times\":0");
    switch (intent) {
      case "detach" -> assertThat(volume(100001).get("server").isNull()).isTrue();
      case "attach" -> assertThat(volume(100006).get("server").asLong()).isEqualTo(4202);
      default -> {}
    }
  }

  /**
   * Found by the chaos rounds in CI (seed 1): an attach decided on a read taken while an earlier
   * attempt's action (its answer lost) still ran was refused {@code volume_already_attached} once
   * that action finished, and the volume failed for good although it was where it should be. Here
   * the refusal comes once without anything attached: the adapter reads the volume again, finds it
   * free and attaches it; one action, the command done.
   */
  @Test
  void anAttachRefusedForGoodReadsTheVolumeAgainAndDecidesAgain() {
    HcloudSimProcess.shared()
        .send(
            "PUT",
            "/_sim/faults",
            "{\"rules\": [{\"endpoint\": \"POST /volumes/{id}/actions/attach\","
                + " \"code\": \"volume_already_attached\", \"rate\": 1, \"times\": 1}]}");

    HcloudResult result = run(topics, attach(100006, 4202));

    assertThat(result).isInstanceOf(HcloudCommandSucceeded.class);
    assertThat(actions("attach_volume")).hasSize(1);
    assertThat(volume(100006).get("server").asLong()).isEqualTo(4202);
  }

  private static List<Long> actions(String command) {
    List<Long> ids = new ArrayList<>();
    for (JsonNode action : state().get("actions")) {
      if (action.get("command").asText().equals(command)) {
        ids.add(action.get("id").asLong());
      }
    }
    return ids;
  }
}
