package dev.lifeboat.watcher.messaging;

import dev.lifeboat.events.Topic;
import dev.lifeboat.events.inventory.NodeInventory;
import dev.lifeboat.events.kafka.InventoryRecords;
import dev.lifeboat.service.KafkaSend;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The node inventory as the watcher last reported it: each node's latest record on the compacted
 * {@code node-inventory} topic, read from the beginning to where the topic ended when the read
 * began, without a consumer group. A new leader compares it with the cluster: a node reported there
 * but no longer in the cluster was deleted while no watcher was watching. A record that cannot be
 * read is skipped and logged (every new leader reads the whole topic again; the dead letters would
 * get it once per read).
 */
@ApplicationScoped
public class LastInventories {

  private static final Logger LOG = Logger.getLogger(LastInventories.class);

  private final Map<String, Object> kafka;
  private final String topic;

  LastInventories(
      @Identifier("default-kafka-broker") Map<String, Object> kafka,
      @ConfigProperty(name = "lifeboat.topic-prefix") String prefix) {
    this.kafka = kafka;
    this.topic = Topic.NODE_INVENTORY.nameWith(prefix);
  }

  /**
   * Each node's last report, by node name.
   *
   * @throws RuntimeException when the broker did not answer within {@code within}
   */
  public Map<String, NodeInventory> read(Duration within) {
    Map<String, Object> config = KafkaSend.consumerConfig(kafka);
    config.put(ConsumerConfig.CLIENT_ID_CONFIG, "lifeboat-watcher-inventory-" + UUID.randomUUID());
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.remove(ConsumerConfig.GROUP_ID_CONFIG);
    Map<String, NodeInventory> last = new HashMap<>();
    long deadline = System.nanoTime() + within.toNanos();
    try (KafkaConsumer<String, byte[]> reader =
        new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = new ArrayList<>();
      reader
          .partitionsFor(topic, within)
          .forEach(info -> partitions.add(new TopicPartition(info.topic(), info.partition())));
      reader.assign(partitions);
      reader.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = reader.endOffsets(partitions, within);
      while (partitions.stream().anyMatch(p -> reader.position(p, within) < end.get(p))) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(topic + " not read to its end within " + within);
        }
        for (ConsumerRecord<String, byte[]> record : reader.poll(Duration.ofMillis(200))) {
          InventoryRecords.read(record, LOG::warn)
              .ifPresent(node -> last.put(node.incidentId(), node));
        }
      }
    }
    return last;
  }
}
