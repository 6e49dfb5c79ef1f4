package dev.lifeboat.local;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * What the broker of the local run carries at best on this machine, measured beside a benchmark so
 * that Lifeboat's figures have a floor to be compared with: records of a Lifeboat message's size
 * produced as fast as one producer can (acks=all, as the services send), and one record's trip from
 * a producer to a consumer, one after another. Also counts the records on Lifeboat's topics, so
 * that a benchmark can say how many records one volume failover costs.
 */
final class KafkaFloor {

  /** About the size of a Lifeboat message (headers and JSON payload of a command or result). */
  static final int RECORD_BYTES = 600;

  /**
   * The floor.
   *
   * @param recordsPerSecond records produced per second, one producer, acks=all
   * @param hopMedianMillis one record from the producer to a consumer, median
   * @param hopP99Millis the same, p99
   */
  record Figures(double recordsPerSecond, double hopMedianMillis, double hopP99Millis) {

    String line() {
      return String.format(
          Locale.ROOT,
          "Kafka floor on this broker: %,.0f records/s produced (%d B, acks=all), one hop from"
              + " producer to consumer median %.1f ms, p99 %.1f ms",
          recordsPerSecond,
          RECORD_BYTES,
          hopMedianMillis,
          hopP99Millis);
    }
  }

  private KafkaFloor() {}

  /** Measures the floor on a topic of its own, deleted afterwards. */
  static Figures measure(String bootstrap, int records, int hops) {
    String topic = "lifeboat-bench-floor-" + UUID.randomUUID();
    try (Admin admin = admin(bootstrap)) {
      admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
      try {
        double rate = produceRate(bootstrap, topic, records);
        double[] hop = hops(bootstrap, topic, hops);
        return new Figures(rate, hop[0], hop[1]);
      } finally {
        admin.deleteTopics(List.of(topic)).all().get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("the broker at " + bootstrap + ": " + e.getCause(), e);
    }
  }

  /** Every record on the topics whose names start with the prefix (the sum of end offsets). */
  static long recordsOnTopics(String bootstrap, String prefix) {
    try (Admin admin = admin(bootstrap)) {
      Set<String> topics =
          admin.listTopics().names().get().stream()
              .filter(name -> name.startsWith(prefix))
              .collect(Collectors.toSet());
      Map<TopicPartition, OffsetSpec> ends =
          admin.describeTopics(topics).allTopicNames().get().values().stream()
              .flatMap(
                  d ->
                      d.partitions().stream().map(p -> new TopicPartition(d.name(), p.partition())))
              .collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest()));
      ListOffsetsResult offsets = admin.listOffsets(ends);
      return offsets.all().get().values().stream()
          .mapToLong(ListOffsetsResult.ListOffsetsResultInfo::offset)
          .sum();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("the broker at " + bootstrap + ": " + e.getCause(), e);
    }
  }

  private static double produceRate(String bootstrap, String topic, int records) {
    byte[] payload = new byte[RECORD_BYTES];
    Arrays.fill(payload, (byte) 'x');
    try (KafkaProducer<String, byte[]> producer = producer(bootstrap)) {
      producer.send(new ProducerRecord<>(topic, "warm-up", payload));
      producer.flush();
      long start = System.nanoTime();
      for (int i = 0; i < records; i++) {
        producer.send(new ProducerRecord<>(topic, "incident-" + (i % 64), payload));
      }
      producer.flush();
      return records / ((System.nanoTime() - start) / 1e9);
    }
  }

  /** Median and p99 of one record's trip, in ms. */
  private static double[] hops(String bootstrap, String topic, int hops) {
    TopicPartition partition = new TopicPartition(topic, 0);
    List<Double> millis = new ArrayList<>();
    try (KafkaProducer<String, byte[]> producer = producer(bootstrap);
        KafkaConsumer<String, byte[]> consumer = consumer(bootstrap)) {
      consumer.assign(List.of(partition));
      consumer.seekToEnd(List.of(partition));
      consumer.position(partition);
      for (int i = 0; i < hops; i++) {
        long sent = System.nanoTime();
        producer.send(new ProducerRecord<>(topic, "hop", Long.toString(i).getBytes()));
        producer.flush();
        boolean arrived = false;
        long giveUp = sent + Duration.ofSeconds(30).toNanos();
        while (!arrived) {
          if (System.nanoTime() > giveUp) {
            throw new IllegalStateException("record " + i + " did not come back within 30 s");
          }
          for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
            arrived |= new String(record.value()).equals(Long.toString(i));
          }
        }
        millis.add((System.nanoTime() - sent) / 1e6);
      }
    }
    return new double[] {BenchNode.quantile(millis, 0.5), BenchNode.quantile(millis, 0.99)};
  }

  private static Admin admin(String bootstrap) {
    return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
  }

  private static KafkaProducer<String, byte[]> producer(String bootstrap) {
    return new KafkaProducer<>(
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all"),
        new StringSerializer(),
        new ByteArraySerializer());
  }

  private static KafkaConsumer<String, byte[]> consumer(String bootstrap) {
    return new KafkaConsumer<>(
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrap,
            ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG,
            "1"),
        new StringDeserializer(),
        new ByteArrayDeserializer());
  }
}
