package dev.lifeboat.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.events.LifeboatMessage;
import dev.lifeboat.events.SampleMessages;
import dev.lifeboat.events.codec.MessageCodec;
import dev.lifeboat.events.codec.ReadResult;
import dev.lifeboat.events.codec.Unreadable;
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
  void messageOnItsFamilysTopicIsReadAndCountedByTopicAndType() {
    assertThat(read("lifeboat.hcloud-commands")).isEqualTo(new ReadResult.Read(powerOff));
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
  void messageOnAnotherFamilysTopicIsMisroutedAndNotCounted() {
    assertThat(read("lifeboat.cluster-commands"))
        .isEqualTo(
            new ReadResult.NotRead(
                new Unreadable(
                    Unreadable.Reason.MISROUTED,
                    "PowerOffServer does not belong on cluster-commands")));
    assertThat(registry.find(Arrivals.RECEIVED).counters()).isEmpty();
  }

  @Test
  void topicUnderAnotherPrefixIsMisrouted() {
    assertThat(read("staging.hcloud-commands"))
        .isEqualTo(
            new ReadResult.NotRead(
                new Unreadable(
                    Unreadable.Reason.MISROUTED,
                    "staging.hcloud-commands is not a Lifeboat topic")));
  }

  private ReadResult read(String topic) {
    return arrivals.read(
        topic, MessageCodec.headers(powerOff, "/test"), MessageCodec.payload(powerOff));
  }

  private static IncomingKafkaRecordMetadata<String, Object> arrivedOn(String topic) {
    return new IncomingKafkaRecordMetadata<>(
        new ConsumerRecord<>(topic, 0, 0L, "key", (Object) "value"), "channel");
  }
}
