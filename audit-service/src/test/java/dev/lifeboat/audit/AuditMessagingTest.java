package dev.lifeboat.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lifeboat.events.LifeboatMessage;
import dev.lifeboat.events.Topic;
import dev.lifeboat.events.codec.MessageTypes;
import dev.lifeboat.events.saga.StepStarted;
import dev.lifeboat.testkit.KafkaBrokerResource;
import dev.lifeboat.testkit.LifeboatTopics;
import dev.lifeboat.testkit.MessagingContractTest;
import dev.lifeboat.testkit.PostgresResource;
import dev.lifeboat.testkit.TestMessages;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
@QuarkusTestResource(PostgresResource.class)
class AuditMessagingTest extends MessagingContractTest {

  @Override
  protected Topic consumedTopic() {
    return Topic.SAGA_EVENTS;
  }

  @Override
  protected Class<? extends LifeboatMessage> acceptedType() {
    return StepStarted.class;
  }

  @Test
  void everyLifeboatTopicOfIncidentsIsReadThroughThePatternSubscription() {
    List<Class<? extends LifeboatMessage>> onePerTopic =
        Arrays.stream(Topic.values())
            .filter(topic -> topic != Topic.NODE_INVENTORY) // each node's state: no incident's
            .flatMap(topic -> topic.family().stream())
            .<Class<? extends LifeboatMessage>>map(family -> MessageTypes.ofFamily(family).get(0))
            .toList();
    List<Double> before =
        onePerTopic.stream().map(type -> receivedCount(MessageTypes.typeOf(type))).toList();

    onePerTopic.forEach(type -> topics.send(TestMessages.fresh(type)));

    assertThat(onePerTopic).hasSize(Topic.values().length - 2);
    await()
        .atMost(LifeboatTopics.WAIT)
        .untilAsserted(
            () -> {
              for (int i = 0; i < onePerTopic.size(); i++) {
                assertThat(receivedCount(MessageTypes.typeOf(onePerTopic.get(i))))
                    .as(onePerTopic.get(i).getSimpleName())
                    .isEqualTo(before.get(i) + 1);
              }
            });
  }
}
