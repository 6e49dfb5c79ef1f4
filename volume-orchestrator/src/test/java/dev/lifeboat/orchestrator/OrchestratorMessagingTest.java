package dev.lifeboat.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lifeboat.events.LifeboatMessage;
import dev.lifeboat.events.Topic;
import dev.lifeboat.events.cluster.ClusterCommandSucceeded;
import dev.lifeboat.events.cluster.ForceDeletePods;
import dev.lifeboat.events.codec.MessageTypes;
import dev.lifeboat.events.control.ResumeIncident;
import dev.lifeboat.events.hcloud.DetachVolume;
import dev.lifeboat.events.hcloud.HcloudCommandFailed;
import dev.lifeboat.events.node.NodeGone;
import dev.lifeboat.events.saga.StepStarted;
import dev.lifeboat.orchestrator.messaging.SagaOutputs;
import dev.lifeboat.testkit.KafkaBrokerResource;
import dev.lifeboat.testkit.LifeboatTopics;
import dev.lifeboat.testkit.MessagingContractTest;
import dev.lifeboat.testkit.TestMessages;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
class OrchestratorMessagingTest extends MessagingContractTest {

  @Inject SagaOutputs outputs;

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

  @Test
  void commandsAndSagaEventsArePublishedOnTheirTopics() throws Exception {
    ForceDeletePods release = TestMessages.fresh(ForceDeletePods.class);
    DetachVolume detach = TestMessages.fresh(DetachVolume.class);
    StepStarted started = TestMessages.fresh(StepStarted.class);

    outputs.send(release).toCompletableFuture().get(30, TimeUnit.SECONDS);
    outputs.send(detach).toCompletableFuture().get(30, TimeUnit.SECONDS);
    outputs.send(started).toCompletableFuture().get(30, TimeUnit.SECONDS);

    assertThat(topics.awaitMessage(Topic.CLUSTER_COMMANDS, ForceDeletePods.class, release::equals))
        .isEqualTo(release);
    assertThat(topics.awaitMessage(Topic.HCLOUD_COMMANDS, DetachVolume.class, detach::equals))
        .isEqualTo(detach);
    assertThat(topics.awaitMessage(Topic.SAGA_EVENTS, StepStarted.class, started::equals))
        .isEqualTo(started);
  }
}
