package dev.lifeboat.audit.messaging;

import dev.lifeboat.events.Topic;
import dev.lifeboat.service.KafkaSend;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads Lifeboat's topics (all but the dead letters and the node inventory) from their beginning,
 * or from a time, up to where they end when the read starts, without joining a consumer group: what
 * a replay reads.
 */
public final class TopicReader {

  private TopicReader() {}

  /**
   * Hands every record, in batches, to {@code sink}; returns how many were read.
   *
   * @param kafka the client settings: at least {@code bootstrap.servers}
   */
  public static long read(
      Map<String, Object> kafka,
      String prefix,
      Instant from,
      Consumer<List<ConsumerRecord<String, byte[]>>> sink) {
    Map<String, Object> config = KafkaSend.consumerConfig(kafka);
    config.put(ConsumerConfig.CLIENT_ID_CONFIG, "lifeboat-audit-replay-" + UUID.randomUUID());
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1000);
    long read = 0;
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (Topic topic : Topic.values()) {
        if (topic == Topic.DEAD_LETTERS || topic == Topic.NODE_INVENTORY) {
          continue; // no incident's: records that could not be read, and each node's state
        }
        consumer
            .partitionsFor(topic.nameWith(prefix), Duration.ofSeconds(30))
            .forEach(info -> partitions.add(new TopicPartition(info.topic(), info.partition())));
      }
      consumer.assign(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      if (from == null) {
        consumer.seekToBeginning(partitions);
      } else {
        Map<TopicPartition, Long> times = new HashMap<>();
        partitions.forEach(p -> times.put(p, from.toEpochMilli()));
        Map<TopicPartition, OffsetAndTimestamp> offsets = consumer.offsetsForTimes(times);
        for (TopicPartition partition : partitions) {
          OffsetAndTimestamp at = offsets.get(partition);
          consumer.seek(partition, at == null ? end.get(partition) : at.offset());
        }
      }
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(500));
        List<ConsumerRecord<String, byte[]>> batch = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : records) {
          if (record.offset() < end.get(new TopicPartition(record.topic(), record.partition()))) {
            batch.add(record);
          }
        }
        if (!batch.isEmpty()) {
          sink.accept(batch);
          read += batch.size();
        }
      }
    }
    return read;
  }
}
