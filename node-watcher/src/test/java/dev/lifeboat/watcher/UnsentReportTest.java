package dev.lifeboat.watcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lifeboat.events.LifeboatMessage;
import dev.lifeboat.events.Topic;
import dev.lifeboat.events.codec.MessageCodec;
import dev.lifeboat.events.codec.ReadResult;
import dev.lifeboat.events.kafka.KafkaHeaders;
import dev.lifeboat.events.node.GoneReason;
import dev.lifeboat.events.node.NodeGone;
import dev.lifeboat.testkit.KafkaBrokerResource;
import dev.lifeboat.testkit.LifeboatTopics;
import dev.lifeboat.watcher.messaging.FirstReportLost;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A NodeGone the broker did not take is sent again until it has it: the detector never declares
 * that node again, so a dropped report would be a loss nobody handles.
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
@WithKubernetesTestServer(crud = true)
@TestProfile(UnsentReportTest.LosingTheFirstReport.class)
class UnsentReportTest {

  /** The real producer, losing the first NodeGone. */
  public static class LosingTheFirstReport implements QuarkusTestProfile {
    @Override
    public Set<Class<?>> getEnabledAlternatives() {
      return Set.of(FirstReportLost.class);
    }

    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("lifeboat.test.lose-first", "NodeGone");
    }
  }

  @Inject KubernetesClient client;

  @Test
  void aNodeGoneThatCouldNotBeSentIsSentAgainUntilTheBrokerHasIt() {
    String run = UUID.randomUUID().toString().substring(0, 6);
    try (LifeboatTopics topics = LifeboatTopics.onSharedBroker();
        SimulatedNodes nodes = new SimulatedNodes(client)) {
      for (int i = 1; i <= 6; i++) {
        nodes.add("u" + i + "-" + run, 4300 + i, "fsn1");
      }
      String lost = "u1-" + run;

      nodes.delete(lost);

      List<NodeGone> gone =
          await()
              .atMost(Duration.ofSeconds(40))
              .pollInterval(Duration.ofMillis(200))
              .until(() -> nodeGone(topics, lost), found -> !found.isEmpty());
      assertThat(FirstReportLost.REFUSED.get()).as("the first send was refused").isEqualTo(1);
      assertThat(gone).hasSize(1);
      assertThat(gone.get(0).reason()).isEqualTo(GoneReason.NODE_DELETED);
    }
  }

  private static List<NodeGone> nodeGone(LifeboatTopics topics, String node) {
    return topics.records(Topic.NODE_EVENTS).stream()
        .map(r -> MessageCodec.read(KafkaHeaders.asText(r.headers()), r.value()))
        .filter(r -> r instanceof ReadResult.Read)
        .map(r -> (LifeboatMessage) r.orThrow())
        .filter(m -> m instanceof NodeGone g && g.node().name().equals(node))
        .map(m -> (NodeGone) m)
        .toList();
  }
}
