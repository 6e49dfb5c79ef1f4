package dev.lifeboat.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.testkit.KafkaBroker;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** The floor is measured on a real broker, and the records on Lifeboat's topics are counted. */
class KafkaFloorTest {

  private final KafkaBroker broker = KafkaBroker.shared();

  @Test
  void theFloorIsMeasuredOnItsOwnTopicAndTheRecordsOfAPrefixAreCounted() {
    String prefix = "floor-" + UUID.randomUUID() + ".";
    broker.createLifeboatTopics(prefix);
    long before = KafkaFloor.recordsOnTopics(broker.bootstrapServers(), prefix);
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(
            Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
            new StringSerializer(),
            new StringSerializer())) {
      for (int i = 0; i < 7; i++) {
        producer.send(new ProducerRecord<>(prefix + "node-events", "incident-" + i, "{}"));
      }
      producer.send(new ProducerRecord<>(prefix + "saga-events", "incident-1", "{}"));
      producer.flush();
    }

    KafkaFloor.Figures floor = KafkaFloor.measure(broker.bootstrapServers(), 2_000, 20);

    assertThat(before).isZero();
    assertThat(KafkaFloor.recordsOnTopics(broker.bootstrapServers(), prefix)).isEqualTo(8);
    assertThat(floor.recordsPerSecond()).isPositive();
    assertThat(floor.hopMedianMillis()).isPositive().isLessThanOrEqualTo(floor.hopP99Millis());
    assertThat(floor.line()).startsWith("Kafka floor on this broker: ").contains("records/s");
  }
}
