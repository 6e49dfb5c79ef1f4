package dev.lifeboat.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeboat.events.LifeboatMessage;
import dev.lifeboat.events.SampleMessages;
import dev.lifeboat.events.hcloud.PowerOffServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class ArrivalsTest {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final Arrivals arrivals = new Arrivals(registry, "lifeboat.");
  private final LifeboatMessage powerOff =
      SampleMessages.all().stream()
          .filter(PowerOffServer.class::isInstance)
          .findFirst()
          .orElseThrow();

  @Test
  void messageOnItsFamilysTopicIsAcceptedAndCountedByTopicAndType() {
    arrivals.accept(powerOff, arrivedOn("lifeboat.hcloud-commands"));
    arrivals.accept(powerOff, arrivedOn("lifeboat.hcloud-commands"));

    assertThat(
            registry
                .get(Arrivals.RECEIVED)
                .tag("topic", "lifeboat.hcloud-commands")
                .tag("type", "lifeboat.hcloud.power-off-server.v1")
                .counter()
                .count())
        .isEqualTo(2.0);
  }

  @Test
  void messageOnAnotherFamilysTopicIsRefusedAndNotCounted() {
    assertThatThrownBy(() -> arrivals.accept(powerOff, arrivedOn("lifeboat.cluster-commands")))
        .hasMessage("PowerOffServer does not belong on cluster-commands");
    assertThat(registry.find(Arrivals.RECEIVED).counters()).isEmpty();
  }

  @Test
  void topicUnderAnotherPrefixIsRefused() {
    assertThatThrownBy(() -> arrivals.accept(powerOff, arrivedOn("staging.hcloud-commands")))
        .hasMessage("staging.hcloud-commands is not a Lifeboat topic");
  }

  private static IncomingKafkaRecordMetadata<String, Object> arrivedOn(String topic) {
    return new IncomingKafkaRecordMetadata<>(
        new ConsumerRecord<>(topic, 0, 0L, "key", (Object) "value"), "channel");
  }
}
