package dev.lifeboat.adapter;

import static dev.lifeboat.adapter.AdapterTestSupport.attach;
import static dev.lifeboat.adapter.AdapterTestSupport.requests;
import static dev.lifeboat.adapter.AdapterTestSupport.result;
import static dev.lifeboat.adapter.AdapterTestSupport.state;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lifeboat.events.Topic;
import dev.lifeboat.events.hcloud.AttachVolume;
import dev.lifeboat.events.hcloud.HcloudCommandAlreadyDone;
import dev.lifeboat.events.hcloud.HcloudCommandSucceeded;
import dev.lifeboat.events.hcloud.HcloudResult;
import dev.lifeboat.testkit.HcloudSimProcess;
import dev.lifeboat.testkit.JarProcess;
import dev.lifeboat.testkit.LifeboatTopics;
import dev.lifeboat.testkit.TestKafka;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The packaged adapter, killed (SIGKILL) after its attach request reached Hetzner and before its
 * result left, then started again: the redelivered command must end with the volume attached once,
 * by exactly one attach action.
 */
class AdapterCrashIT {

  private final List<Process> adapters = new ArrayList<>();

  @AfterEach
  void stopAdapters() {
    adapters.forEach(Process::destroyForcibly);
  }

  @Test
  void adapterKilledBetweenThePostAndTheResultAttachesOnceAfterARestart() throws Exception {
    TestKafka broker = TestKafka.shared();
    broker.createLifeboatTopics(Topic.DEFAULT_PREFIX);
    HcloudSimProcess sim = HcloudSimProcess.shared();
    sim.reset(null);
    sim.send("PUT", "/_sim/settings", "{\"durations\": {\"attach_volume\": \"PT30S\"}}");
    AttachVolume command = attach(100006, 4202);

    try (LifeboatTopics topics = LifeboatTopics.onSharedBroker()) {
      Process first = startAdapter(broker, sim, "first");
      topics.send(command);
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> requests().contains("POST /v1/volumes/100006/actions/attach 201"));
      first.destroyForcibly().waitFor();
      assertThat(topics.records(Topic.HCLOUD_RESULTS))
          .as("the killed adapter sent no result")
          .noneMatch(
              r ->
                  LifeboatTopics.header(r, "ce_subject")
                      .filter(command.incidentId()::equals)
                      .isPresent());

      startAdapter(broker, sim, "second");
      HcloudResult outcome = result(topics, command);

      List<Long> attachActions = new ArrayList<>();
      for (JsonNode action : state().get("actions")) {
        if (action.get("command").asText().equals("attach_volume")) {
          attachActions.add(action.get("id").asLong());
        }
      }
      System.out.printf("after the restart: %s, attach actions %s%n", outcome, attachActions);
      assertThat(attachActions).hasSize(1);
      // Normally the restarted adapter finds the action still running and waits for it; on a slow
      // machine it may find it finished, and reports the attach as already done. Never a second
      // one.
      if (outcome instanceof HcloudCommandSucceeded succeeded) {
        assertThat(succeeded.actionId()).isEqualTo(attachActions.get(0));
      } else {
        assertThat(outcome).isInstanceOf(HcloudCommandAlreadyDone.class);
      }
      for (JsonNode volume : state().get("volumes")) {
        if (volume.get("id").asLong() == 100006) {
          assertThat(volume.get("server").asLong()).isEqualTo(4202);
        }
      }
    }
  }

  private Process startAdapter(TestKafka broker, HcloudSimProcess sim, String name) {
    Process process =
        JarProcess.start(
            Path.of("target", "quarkus-app", "quarkus-run.jar"),
            JarProcess.freePort(),
            List.of(
                "kafka.bootstrap.servers=" + broker.bootstrapServers(),
                "lifeboat.hcloud.url=" + sim.apiUrl(),
                "lifeboat.hcloud.token=it-token",
                // A killed member's partitions move on after this (the broker's minimum is 6 s).
                "mp.messaging.connector.smallrye-kafka.session.timeout.ms=6000",
                "mp.messaging.connector.smallrye-kafka.heartbeat.interval.ms=1000"),
            Path.of("target", "adapter-" + name + ".log"));
    adapters.add(process);
    return process;
  }
}
