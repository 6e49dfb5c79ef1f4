package dev.lifeboat.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lifeboat.events.LifeboatMessage;
import dev.lifeboat.events.Topic;
import dev.lifeboat.events.cluster.ClusterCommandSucceeded;
import dev.lifeboat.events.codec.MessageTypes;
import dev.lifeboat.events.control.ResumeIncident;
import dev.lifeboat.events.hcloud.HcloudCommandFailed;
import dev.lifeboat.events.node.NodeGone;
import dev.lifeboat.testkit.KafkaBrokerResource;
import dev.lifeboat.testkit.LifeboatTopics;
import dev.lifeboat.testkit.MessagingContractTest;
import dev.lifeboat.testkit.TestMessages;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
class OrchestratorMessagingTest extends MessagingContractTest {

  @Override
  protected Topic consumedTopic() {
    return Topic.NODE_EVENTS;
  }

  @Override
  protected Class<? extends LifeboatMessage> acceptedType() {
    return NodeGone.class;
  }

  @Test
  void everyTopicTheSagasReactToIsRead() {
    List<Class<? extends LifeboatMessage>> inputs =
        List.of(
            NodeGone.class,
            ClusterCommandSucceeded.class,
            HcloudCommandFailed.class,
            ResumeIncident.class);
    List<Double> before =
        inputs.stream().map(type -> receivedCount(MessageTypes.typeOf(type))).toList();

    inputs.forEach(type -> topics.send(TestMessages.fresh(type)));

    await()
        .atMost(LifeboatTopics.WAIT)
        .untilAsserted(
            () -> {
              for (int i = 0; i < inputs.size(); i++) {
                assertThat(receivedCount(MessageTypes.typeOf(inputs.get(i))))
                    .as(inputs.get(i).getSimpleName())
                    .isEqualTo(before.get(i) + 1);
              }
            });
  }
}
