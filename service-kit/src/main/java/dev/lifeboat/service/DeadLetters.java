package dev.lifeboat.service;

import dev.lifeboat.events.Topic;
import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Sends a record that is not a message of the contract to the dead-letter topic, with its original
 * key, bytes and headers and the reason, in the headers SmallRye's dead-letter strategy uses; for
 * consumers that read raw records themselves.
 */
@ApplicationScoped
public class DeadLetters {

  /** Header naming why a record is a dead letter. */
  public static final String REASON = "dead-letter-reason";

  /** Header naming the topic a dead letter came from. */
  public static final String TOPIC = "dead-letter-topic";

  private final KafkaProducer<String, byte[]> producer;
  private final String topic;

  DeadLetters(
      @Identifier("default-kafka-broker") Map<String, Object> kafka,
      @ConfigProperty(name = "lifeboat.topic-prefix") String prefix) {
    this.producer =
        new KafkaProducer<>(
            KafkaSend.producerConfig(kafka), new StringSerializer(), new ByteArraySerializer());
    this.topic = Topic.DEAD_LETTERS.nameWith(prefix);
  }

  /** Sends the record; returns once the broker has it. */
  public void send(String fromTopic, String key, byte[] value, Headers original, String reason) {
    KafkaSend.await(post(fromTopic, key, value, original, reason), topic);
  }

  /**
   * Starts sending the record and returns at once: a consumer with many dead letters in a batch
   * starts them all, then waits for them with {@link #await}, instead of one round trip each.
   */
  public Future<RecordMetadata> post(
      String fromTopic, String key, byte[] value, Headers original, String reason) {
    RecordHeaders headers = new RecordHeaders(original.toArray());
    headers.remove(REASON);
    headers.remove(TOPIC);
    headers.add(REASON, reason.getBytes(StandardCharsets.UTF_8));
    headers.add(TOPIC, fromTopic.getBytes(StandardCharsets.UTF_8));
    return producer.send(new ProducerRecord<>(topic, null, key, value, headers));
  }

  /** Returns once the broker has every one of these sends; an error names the topic. */
  public void await(List<Future<RecordMetadata>> sends) {
    sends.forEach(sent -> KafkaSend.await(sent, topic));
  }

  @PreDestroy
  void close() {
    producer.close(Duration.ofSeconds(5));
  }
}
