package dev.lifeboat.watcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.events.CommandResult;
import dev.lifeboat.events.MessageIds;
import dev.lifeboat.events.Topic;
import dev.lifeboat.events.cluster.ClusterCommand;
import dev.lifeboat.events.cluster.ClusterCommandSucceeded;
import dev.lifeboat.events.cluster.ClusterResult;
import dev.lifeboat.events.cluster.RemoveOutOfServiceTaint;
import dev.lifeboat.events.cluster.TaintNodeOutOfService;
import dev.lifeboat.testkit.KafkaBrokerResource;
import dev.lifeboat.testkit.LifeboatTopics;
import dev.lifeboat.watcher.domain.NodeFacts;
import dev.lifeboat.watcher.messaging.FirstReportLost;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The command consumer survives a failure: a result the broker did not take is sent again (the
 * command is read again, and is idempotent), and the commands after it are carried out.
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
@WithKubernetesTestServer(crud = true)
@TestProfile(LostResultTest.LosingTheFirstResult.class)
class LostResultTest {

  /** The real producer, losing the first ClusterCommandSucceeded. */
  public static class LosingTheFirstResult implements QuarkusTestProfile {
    @Override
    public Set<Class<?>> getEnabledAlternatives() {
      return Set.of(FirstReportLost.class);
    }

    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("lifeboat.test.lose-first", "ClusterCommandSucceeded");
    }
  }

  @Inject KubernetesClient client;

  @Test
  void aResultThatCouldNotBeSentIsSentAgainAndLaterCommandsAreCarriedOut() {
    String node = "lost-" + UUID.randomUUID().toString().substring(0, 6);
    try (LifeboatTopics topics = LifeboatTopics.onSharedBroker();
        SimulatedNodes nodes = new SimulatedNodes(client)) {
      nodes.add(node, 4402, "fsn1");
      TaintNodeOutOfService taint = new TaintNodeOutOfService(id(), "inc", now(), id(), node);

      topics.send(taint);

      assertThat(result(topics, taint)).isInstanceOf(ClusterCommandSucceeded.class);
      assertThat(FirstReportLost.REFUSED.get()).as("the first result was refused").isEqualTo(1);
      assertThat(client.nodes().withName(node).get().getSpec().getTaints())
          .extracting(t -> t.getKey())
          .containsExactly(NodeFacts.OUT_OF_SERVICE_TAINT);

      RemoveOutOfServiceTaint untaint = new RemoveOutOfServiceTaint(id(), "inc", now(), id(), node);
      topics.send(untaint);

      assertThat(result(topics, untaint)).isInstanceOf(ClusterCommandSucceeded.class);
      assertThat(client.nodes().withName(node).get().getSpec().getTaints()).isEmpty();
    }
  }

  private static ClusterResult result(LifeboatTopics topics, ClusterCommand command) {
    return topics.awaitMessage(
        Topic.CLUSTER_RESULTS,
        ClusterResult.class,
        r -> ((CommandResult) r).commandId().equals(command.commandId()));
  }

  private static String id() {
    return MessageIds.random();
  }

  private static Instant now() {
    return Instant.now();
  }
}
